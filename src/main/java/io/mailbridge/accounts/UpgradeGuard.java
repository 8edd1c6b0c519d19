package io.mailbridge.accounts;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

import io.mailbridge.checkpoint.CheckpointStore;

/**
 * Moving a single account into {@code mail.accounts} changes its key prefix from {@code username@host}
 * (or {@code mail.imap.account}) to the account name. Unnoticed, that would read the whole mailbox
 * again under the new prefix. So an account that finds checkpoints of its user@host under the old
 * prefix and none under its own is held back until the operator says which was meant.
 */
final class UpgradeGuard {

    private UpgradeGuard() {
    }

    /** @return why the account must not start, naming the keys to set; null when it may */
    static String check(Account account, Function<String, String> properties, CheckpointStore store) throws Exception {
        if (account.isSingle() || store == null || account.hasOwn("account") || account.hasOwn("start-from")) {
            return null;
        }
        String prefix = account.recordPrefix();
        for (String folder : account.folders()) {
            if (store.load(prefix, folder) != null) {
                return null; // this account has run under its own prefix before
            }
        }
        for (String old : oldPrefixes(account, properties)) {
            if (old.equals(prefix)) {
                continue;
            }
            for (String folder : account.folders()) {
                if (store.load(old, folder) != null) {
                    return "Account " + account.name() + " (" + account.userAtHost() + ") is not started: its checkpoints are stored"
                            + " under the single-account prefix '" + old + "' and none under '" + prefix + "', so it would read"
                            + " the mailbox again. Set " + account.ownKey("account") + "=" + old + " to keep them, or set "
                            + account.ownKey("start-from") + " (all, now or a date) if a fresh start is meant.";
                }
            }
        }
        return null;
    }

    /** The prefixes the single-account setup used for this account's mailbox. */
    private static Set<String> oldPrefixes(Account account, Function<String, String> properties) {
        Set<String> old = new LinkedHashSet<>();
        old.add(account.userAtHost());
        String single = properties.apply("mail.imap.account");
        if (!single.isEmpty() && account.configuration().getUsername().equals(properties.apply("mail.imap.username"))
                && account.configuration().getHost().equals(properties.apply("mail.imap.host"))) {
            old.add(single);
        }
        return old;
    }
}
