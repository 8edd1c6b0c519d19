package io.mailbridge.imap;

import io.mailbridge.imap.component.ImapUidConsumer;
import io.mailbridge.imap.sync.PollStatistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.mailbridge.support.CrashRecovery;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large folders on a real server: crash recovery of a real process, and idle polls that do not grow with the folder. */
class DovecotLargeFolderTest {

    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("large");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    static void fill(String folder, int n, int bodyBytes) throws Exception {
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            imap.count(folder);
        }
        String filler = "lorem ipsum ".repeat(bodyBytes / 12 + 1).substring(0, bodyBytes);
        for (int i = 1; i <= n; i++) {
            String msg = "From: sender" + (i % 17) + "@example.com\r\nTo: alice@localhost\r\nSubject: message " + i
                    + "\r\nMessage-ID: <" + folder + "." + i + "@example.com>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n"
                    + filler + "\r\n";
            dovecot.deliverRaw(folder, String.format("1795000000.%s%07d.localhost", folder, i), msg.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void killedMidBatchAndRestartedDeliversEveryMessageExactlyOnce() throws Exception {
        fill("INBOX", 3000, 2000);
        CrashRecovery.run(data, dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD, 3000, 50);
    }

    @Test
    void idlePollCostDoesNotGrowWithTheFolder() throws Exception {
        fill("Small", 100, 200);
        fill("Large", 10_000, 200);
        double small = idlePollMillis("Small", 100);
        double large = idlePollMillis("Large", 10_000);
        System.out.printf("idle poll: 100 messages %.2f ms, 10,000 messages %.2f ms (ratio %.2f)%n", small, large, large / small);
        assertTrue(large < 2 * small + 2.0, "idle poll at 10,000 messages (" + large + " ms) within 2x of 100 (" + small + " ms)");
    }

    private double idlePollMillis(String folder, int n) throws Exception {
        try (RunningMailbridge mb = RunningMailbridge.start(data.resolve(folder), dovecot.port(), 1, DovecotServer.USER,
                DovecotServer.PASSWORD, Map.of("mail.imap.folders", folder, "mail.imap.poll-delay", "20",
                        "mail.sink.log-level", "OFF"))) {
            PollStatistics stats = ((ImapUidConsumer) mb.context().getRoute("imap-inbound").getConsumer()).statistics();
            RunningMailbridge.await(Duration.ofSeconds(120), () -> stats.delivered() >= n, n + " delivered");
            long searches = stats.searches();
            long idleBefore = stats.idlePolls();
            RunningMailbridge.await(Duration.ofSeconds(30), () -> stats.idlePolls() >= idleBefore + 100, "100 idle polls");
            assertEquals(searches, stats.searches(), "idle polls send no SEARCH");
            return stats.meanIdlePollMillis();
        }
    }
}
