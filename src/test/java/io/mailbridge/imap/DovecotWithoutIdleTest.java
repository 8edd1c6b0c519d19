package io.mailbridge.imap;

import io.mailbridge.imap.sync.IdleWatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.LoggerCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that does not advertise IDLE (Dovecot with IDLE left out of its capabilities): polling carries on. */
class DovecotWithoutIdleTest {

    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.startWithConfig("noidle",
                "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT UNSELECT CHILDREN NAMESPACE UIDPLUS MOVE LITERAL+");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void foldersArePolledAndTheMissingIdleIsLoggedOnce() throws Exception {
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD);
                LoggerCapture log = LoggerCapture.of("io.mailbridge.imap", Level.INFO)) {
            imap.create("Polled");
            try (RunningMailbridge mb = RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER,
                    DovecotServer.PASSWORD, Map.of("mail.imap.folders", "INBOX,Polled", "mail.imap.poll-delay", "300"))) {
                for (int i = 1; i <= 3; i++) {
                    imap.append("Polled", TestMessages.plain("a@example.com", "alice@localhost", "polled " + i, "x"),
                            new Flags(), new Date());
                }
                mb.awaitRecords(3);
                Thread.sleep(1500); // several more polls
                assertEquals(3, mb.records().size());

                List<LoggerCapture.Line> noIdle = log.containing("does not advertise IDLE");
                assertEquals(1, noIdle.size(), "logged once for two folders and many polls: " + log.lines());
                assertTrue(noIdle.get(0).message().contains("polling every 300 ms"), noIdle.get(0).message());
                assertTrue(DovecotIdleTest.consumer(mb).idleWatchers().stream().noneMatch(IdleWatcher::isConnected));
            }
        }
    }

    @Test
    void aPollAfterTheServerKilledTheConnectionSelectsTheFolderAgainAndMissesNothing() throws Exception {
        try (LoggerCapture log = LoggerCapture.of("io.mailbridge.imap", Level.WARN)) {
            try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
                imap.create("Killed");
                for (int i = 1; i <= 3; i++) {
                    imap.append("Killed", TestMessages.plain("a@example.com", "alice@localhost", "before " + i, "x"), new Flags(), new Date());
                }
            }
            // a minute's back-off after a failed poll: a poll that failed would show as a timeout here
            try (RunningMailbridge mb = RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER,
                    DovecotServer.PASSWORD, Map.of("mail.imap.folders", "Killed", "mail.imap.poll-delay", "1500",
                            "mail.imap.max-backoff", "1m"))) {
                mb.awaitRecords(3);
                Thread.sleep(2000); // the connection idles past Angus' one-second keep-alive threshold
                assertTrue(dovecot.killImapProcesses() >= 1, "the server side of the connection is gone");
                try (ImapClient again = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
                    for (int i = 1; i <= 4; i++) {
                        again.append("Killed", TestMessages.plain("a@example.com", "alice@localhost", "after " + i, "x"), new Flags(), new Date());
                    }
                }
                mb.awaitRecords(7);
                assertEquals(7, mb.records().size());
                assertEquals(List.of(), log.lines(), "the closed folder is selected again without a failed poll");
            }
        }
    }

    /**
     * Mail another program (Postfix, procmail) writes into the Maildir is not in Dovecot's index yet:
     * a poll's NOOP makes Dovecot look. Without it, UID FETCH alone saw such mail 3-4 s late, however
     * often it polled.
     */
    @Test
    void mailDeliveredIntoTheMaildirByAnotherProgramIsReadAtTheNextPoll() throws Exception {
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create("Delivered");
        }
        dovecot.deliverRaw("Delivered", "1795000000.first.localhost", TestMessages.small("first@example.com", "first"));
        try (RunningMailbridge mb = RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER,
                DovecotServer.PASSWORD, Map.of("mail.imap.folders", "Delivered", "mail.imap.poll-delay", "200"))) {
            mb.awaitRecords(1);
            List<Long> millis = new java.util.ArrayList<>();
            for (int i = 2; i <= 4; i++) {
                Thread.sleep(1100); // Dovecot's Maildir view ages past its one-second mtime granularity
                long delivered = System.nanoTime();
                dovecot.deliverRaw("Delivered", "1795000000.m" + i + ".localhost", TestMessages.small("m" + i + "@example.com", "m" + i));
                mb.awaitRecords(i);
                millis.add((System.nanoTime() - delivered) / 1_000_000);
            }
            System.out.println("Maildir delivery -> record, polling every 200 ms: " + millis + " ms");
            assertTrue(millis.stream().allMatch(m -> m < 1500), "each within a few polls, not seconds: " + millis + " ms");
        }
    }
}
