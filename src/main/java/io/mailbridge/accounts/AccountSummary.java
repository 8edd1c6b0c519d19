package io.mailbridge.accounts;

import java.util.ArrayList;
import java.util.List;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.imap.component.MailboxConfiguration;
import io.mailbridge.oauth2.TokenProviders;
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
        MailboxConfiguration c = account.configuration();
        String security = c.isSsl() ? "imaps" : c.isStarttls() ? "imap+starttls" : "imap";
        return "Mailbox " + account.name() + " (route " + account.routeId() + ", key prefix " + account.recordPrefix() + "): "
                + security + "://" + c.address() + " as " + c.getUsername()
                + ", folders " + account.folders()
                + ", search " + c.getSearch()
                + (c.getFolderSearch().isEmpty() ? "" : " (own search: " + c.getFolderSearch().keySet() + ")")
                + ", after " + c.getAfter()
                + ", sink " + URISupport.sanitizeUri(account.sinkUri())
                + (c.isChanges() ? ", change events to " + (account.changesUri().equals(account.sinkUri()) ? "the sink"
                        : URISupport.sanitizeUri(account.changesUri())) : "")
                + ", auth " + auth()
                + ", checkpoint " + checkpoints();
    }

    private String auth() {
        if (!account.isOAuth2()) {
            return "password";
        }
        String source = !account.oauth2(TokenProviders.TOKEN_URL).isEmpty() ? "token endpoint " + account.oauth2(TokenProviders.TOKEN_URL)
                : !account.oauth2(TokenProviders.TOKEN_FILE).isEmpty() ? "token file " + account.oauth2(TokenProviders.TOKEN_FILE)
                : "token command";
        return "XOAUTH2 (" + source + ")";
    }

    private String checkpoints() throws Exception {
        List<String> out = new ArrayList<>();
        for (String folder : account.folders()) {
            Checkpoint c = store == null ? null : store.load(account.recordPrefix(), folder);
            out.add(folder + (c == null ? " none (start-from " + account.configuration().getStartFrom() + ")"
                    : " uid " + c.lastUid() + " of uidvalidity " + c.uidValidity()));
        }
        return String.join(", ", out);
    }
}
