package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.imap.protocol.ChangeCommands;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the fallback for servers without CONDSTORE costs per scan on a 10,000-message folder (docs/operations.md,
 * "Change events"): one {@code UID FETCH 1:10000 (UID FLAGS)}, against a CHANGEDSINCE query on Dovecot that finds
 * nothing. The bounds are loose (a loaded CI machine); the printed medians are the figures.
 */
class ChangesScanCostTest {

    private static final int MESSAGES = 10_000;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @Test
    void aFlagsScanOfTenThousandMessagesIsBoundedAndChangedSinceWithNothingChangedCostsNothing() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        for (int i = 1; i <= MESSAGES; i++) {
            inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "m" + i, "b"),
                    i % 3 == 0 ? new Flags(Flags.Flag.SEEN) : new Flags(), new Date());
        }
        long greenMailScan = medianScan(greenMail.getImap().getPort(), "alice", "secret", false);

        try (DovecotServer dovecot = DovecotServer.start("scan-cost")) {
            dovecot.deliverNumbered("INBOX", MESSAGES, "scan");
            long dovecotScan = medianScan(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD, false);
            long dovecotChangedSince = medianScan(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD, true);
            System.out.println("Change scan of " + MESSAGES + " messages, median of 5: GreenMail UID FETCH (FLAGS) "
                    + greenMailScan + " ms; Dovecot UID FETCH (FLAGS) " + dovecotScan + " ms; Dovecot CHANGEDSINCE with"
                    + " nothing changed " + dovecotChangedSince + " ms");
            assertTrue(greenMailScan < 5_000 && dovecotScan < 5_000, greenMailScan + " / " + dovecotScan + " ms");
            assertTrue(dovecotChangedSince <= dovecotScan, "CONDSTORE asks only for what changed");
        }
    }

    private static long medianScan(int port, String user, String password, boolean changedSince) throws Exception {
        Properties props = new Properties();
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", port, user, password);
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
            folder.open(Folder.READ_ONLY);
            long modseq = changedSince ? ChangeCommands.highestModSeq(folder) : 0;
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                ChangeCommands.Changes found = changedSince
                        ? ChangeCommands.changedSince(folder, "1:" + MESSAGES, modseq, false)
                        : ChangeCommands.flags(folder, "1:" + MESSAGES);
                millis.add((System.nanoTime() - started) / 1_000_000);
                assertEquals(changedSince ? 0 : MESSAGES, found.flags().size());
            }
            Collections.sort(millis);
            return millis.get(2);
        } finally {
            store.close();
        }
    }
}
