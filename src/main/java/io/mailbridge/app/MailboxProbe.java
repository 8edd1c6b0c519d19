package io.mailbridge.app;

import java.util.concurrent.Callable;

import io.mailbridge.accounts.Account;
import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.imap.component.MailboxConfiguration;
import io.mailbridge.imap.protocol.ImapServer;
import io.mailbridge.imap.protocol.ImapSession;
import io.mailbridge.imap.protocol.UidCommands;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Logs in to one mailbox read-only (EXAMINE) and describes each folder it reads, one line each:
 * {@code folder account=<name> folder=<folder> uidvalidity=<n> messages=<n> matching=<n> checkpoint=<uid|none>}.
 * {@code matching} counts the messages the folder's search selects, whatever the checkpoint. Nothing is
 * fetched, flagged or moved, and the checkpoint is only read.
 */
final class MailboxProbe implements Callable<CheckFindings> {

    private final Account account;
    private final CheckpointStore checkpoints;
    private final int timeoutMillis;

    /** @param timeoutMillis the longest the check waits for one server response (below the mailbox's own timeout) */
    MailboxProbe(Account account, CheckpointStore checkpoints, int timeoutMillis) {
        this.account = account;
        this.checkpoints = checkpoints;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public CheckFindings call() {
        CheckFindings findings = new CheckFindings();
        // a copy: its own login (no back-off shared with a route) and the check's shorter timeout
        MailboxConfiguration c = account.configuration().copy();
        c.setTimeout(c.getTimeout() <= 0 ? timeoutMillis : Math.min(c.getTimeout(), timeoutMillis)); // 0 would wait forever
        ImapServer server = new ImapServer(c, c.login(account.name()), account.name(), c.getSslTrust());
        try (ImapSession session = new ImapSession(server, false)) {
            for (String folder : account.folders()) {
                if (!describe(session, folder, findings)) {
                    break;
                }
            }
        }
        return findings;
    }

    /** @return false when the mailbox itself failed (no login, no connection), so other folders need not be tried */
    private boolean describe(ImapSession session, String name, CheckFindings findings) {
        String what = "account=" + account.name();
        try {
            IMAPFolder folder = session.folder(name);
            long matching = UidCommands.search(folder, 1, account.configuration().searchFor(name)).size();
            findings.line("account=" + account.name() + " folder=" + name + " uidvalidity=" + folder.getUIDValidity()
                    + " messages=" + folder.getMessageCount() + " matching=" + matching + " checkpoint=" + checkpoint(name, findings));
            return true;
        } catch (AuthenticationFailedException e) {
            findings.failed(what, "login refused as " + account.configuration().getUsername() + " on "
                    + account.configuration().address() + " (" + ProbeErrors.oneLine(e.getMessage()) + ")");
        } catch (MessagingException e) {
            if (e.getCause() instanceof FolderNotFoundException || e.getNextException() instanceof FolderNotFoundException) {
                findings.failed(what + " folder=" + name, ProbeErrors.oneLine(e.getMessage()));
                return true;
            }
            findings.failed(what, "no answer from " + account.configuration().address() + " (" + ProbeErrors.reason(e) + ")");
        } catch (RuntimeException e) {
            findings.failed(what, ProbeErrors.reason(e));
        }
        return false;
    }

    /** The last UID delivered from the folder, or none before the first delivery; a store that fails is a failure too. */
    private String checkpoint(String folder, CheckFindings findings) {
        try {
            Checkpoint checkpoint = checkpoints.load(account.recordPrefix(), folder);
            return checkpoint == null ? "none" : String.valueOf(checkpoint.lastUid());
        } catch (Exception e) {
            findings.failed("account=" + account.name() + " folder=" + folder, "cannot read its checkpoint ("
                    + ProbeErrors.reason(e) + ")");
            return "unreadable";
        }
    }
}
