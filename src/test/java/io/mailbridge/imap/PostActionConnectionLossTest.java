package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.CountingImapProxy;
import io.mailbridge.support.LoggerCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection dies during a post-action (the server's process is gone when {@code UID STORE}
 * is sent): the records stay delivered, the failure is one WARN, and the next sync selects the
 * folder again on a new connection, so later mail is read and flagged with no failed poll.
 */
class PostActionConnectionLossTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void aConnectionLostDuringThePostActionIsReopenedByTheNextSync() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        append(inbox, "first");
        append(inbox, "second");
        try (CountingImapProxy proxy = new CountingImapProxy(greenMail.getImap().getPort());
                LoggerCapture log = LoggerCapture.of("io.mailbridge.imap", Level.WARN)) {
            proxy.dropConnectionOn("UID STORE");
            try (RunningMailbridge mb = RunningMailbridge.start(data, proxy.port(), greenMail.getSmtp().getPort(), "alice", "secret",
                    Map.of("mail.imap.after", "seen", "mail.imap.poll-delay", "300", "mail.imap.idle", "false",
                            "mail.imap.max-backoff", "1m"))) {
                mb.awaitRecords(2);
                RunningMailbridge.await(Duration.ofSeconds(10), () -> !log.containing("after=seen failed").isEmpty(),
                        "the post-action's failure in the log");
                append(inbox, "third");
                mb.awaitRecords(3);
                RunningMailbridge.await(Duration.ofSeconds(10), () -> seen(inbox, "third"), "the third message flagged \\Seen");
                assertFalse(seen(inbox, "first"), "the first two stay unflagged: their post-action failed");
                List<LoggerCapture.Line> warnings = log.lines();
                assertEquals(1, warnings.size(), "one WARN, the post-action's; no failed poll: " + warnings);
                assertTrue(warnings.get(0).message().contains("the records were delivered"), warnings.get(0).message());
            }
        }
    }

    private static void append(MailFolder inbox, String subject) throws Exception {
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", subject, "body of " + subject), new Flags(), new Date());
    }

    private static boolean seen(MailFolder inbox, String subject) {
        for (StoredMessage m : inbox.getMessages()) {
            try {
                if (subject.equals(m.getMimeMessage().getSubject())) {
                    return m.getFlags().contains(Flags.Flag.SEEN);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return false;
    }
}
