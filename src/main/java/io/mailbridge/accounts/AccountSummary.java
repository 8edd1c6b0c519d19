package io.mailbridge.accounts;

import java.util.ArrayList;
import java.util.List;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.CheckpointStore;
import org.apache.camel.util.URISupport;

/**
 * The startup line of one account: server, folders, search, post-action, sink, auth mechanism and
 * checkpoint position. Built from settings without any secret; the sink URI is sanitized by Camel.
 */
final class AccountSummary {

    private final Account account;
    private final CheckpointStore store;

    AccountSummary(Account account, CheckpointStore store) {
        this.account = account;
        this.store = store;
    }

    String line() throws Exception {
        boolean ssl = Boolean.parseBoolean(account.value("ssl"));
        String port = account.value("port").isEmpty() || "0".equals(account.value("port")) ? (ssl ? "993" : "143") : account.value("port");
        String security = ssl ? "imaps" : Boolean.parseBoolean(account.value("starttls")) ? "imap+starttls" : "imap";
        return "Mailbox " + account.name() + " (route " + account.routeId() + ", key prefix " + account.recordPrefix() + "): "
                + security + "://" + account.value("host") + ":" + port + " as " + account.value("username")
                + ", folders " + account.folders()
                + ", search " + or(account.value("search"), "ALL")
                + ", after " + or(account.value("after"), "none")
                + ", sink " + URISupport.sanitizeUri(account.value("sink-uri"))
                + ", auth " + auth()
                + ", checkpoint " + checkpoints();
    }

    private String auth() {
        if (!account.isOAuth2()) {
            return "password";
        }
        String source = !account.value("oauth2.token-url").isEmpty() ? "token endpoint " + account.value("oauth2.token-url")
                : !account.value("oauth2.token-file").isEmpty() ? "token file " + account.value("oauth2.token-file")
                : "token command";
        return "XOAUTH2 (" + source + ")";
    }

    private String checkpoints() throws Exception {
        List<String> out = new ArrayList<>();
        for (String folder : account.folders()) {
            Checkpoint c = store == null ? null : store.load(account.recordPrefix(), folder);
            out.add(folder + (c == null ? " none (start-from " + or(account.value("start-from"), "all") + ")"
                    : " uid " + c.lastUid() + " of uidvalidity " + c.uidValidity()));
        }
        return String.join(", ", out);
    }

    private static String or(String value, String dflt) {
        return value.isEmpty() ? dflt : value;
    }
}
