package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mailbridge.imap.sync.IdleWatchers;
import io.mailbridge.support.CountingImapProxy;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.RunningMailbridge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that advertises IDLE but does not announce new mail while a connection idles (Courier with
 * IMAP_ENHANCEDIDLE=0 looks only every 60 s): the mail arrives by the poll, and mailbridge counts it as missed
 * by IDLE (mailbridge_imap_idle_missed_total) with one WARN per folder. With announcements, nothing is counted.
 */
class IdleMissedTest {

    @TempDir
    Path data;

    @Test
    void newMailThePollFindsButIdleNeverAnnouncedIsCountedAndWarnedOnce() throws Exception {
        assertEquals(2.0, missedAfterTwoDeliveries(true));
    }

    @Test
    void mailIdleAnnouncesIsNotCounted() throws Exception {
        assertEquals(0.0, missedAfterTwoDeliveries(false));
    }

    private double missedAfterTwoDeliveries(boolean mute) throws Exception {
        try (DovecotServer dovecot = DovecotServer.start("idlemissed");
                CountingImapProxy proxy = new CountingImapProxy(dovecot.port());
                LogCapture log = LogCapture.of(IdleWatchers.class);
                RunningMailbridge mb = RunningMailbridge.start(data, proxy.port(), 1, DovecotServer.USER, DovecotServer.PASSWORD,
                        Map.of("mail.embedded.enabled", "false", "mail.imap.account", "alice",
                                "mail.imap.poll-delay", "700", "mail.imap.idle-missed-after", "1s"))) {
            if (mute) {
                proxy.muteIdleAnnouncements();
            }
            Counter missed = mb.context().getRegistry().findSingleByType(MeterRegistry.class)
                    .get("mailbridge.imap.idle.missed").tags("account", "alice", "folder", "INBOX").counter();
            RunningMailbridge.await(Duration.ofSeconds(20), () -> proxy.commands().contains("IDLE"), "the folder in IDLE");
            Thread.sleep(1500); // connecting IDLE catches up on new mail, which counts as announced: past that window
            for (int i = 1; i <= 2; i++) {
                deliver(dovecot, i);
                int expected = i;
                RunningMailbridge.await(Duration.ofSeconds(20), () -> records() >= expected, "record " + i);
                Thread.sleep(2000); // past idle-missed-after (1 s) after the sync that found it
            }
            List<LogCapture.Line> warns = log.at(Level.WARN).stream().filter(l -> l.message().contains("not announced by IDLE")).toList();
            assertEquals(mute ? 1 : 0, warns.size(), log.lines().toString());
            return missed.count();
        }
    }

    private void deliver(DovecotServer dovecot, int i) throws Exception {
        String msg = "From: bob@example.com\r\nTo: alice@localhost\r\nSubject: arrives " + i + "\r\nMessage-ID: <missed." + i
                + "@example.com>\r\n\r\nbody\r\n";
        dovecot.deliverRaw("INBOX", "1795100000.M" + i + ".localhost", msg.getBytes(StandardCharsets.US_ASCII));
    }

    private long records() {
        try (var files = Files.walk(data.resolve("inbox"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        } catch (java.io.IOException e) {
            return 0; // the sink directory is made with the first record
        }
    }
}
