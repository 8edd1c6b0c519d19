package io.mailbridge.imap;

import io.mailbridge.imap.sync.IdleWatcher;
import io.mailbridge.imap.component.ImapUidConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * IMAP IDLE on a real server. Polling is set to a minute in these tests, so a record that appears
 * within a second came through IDLE, not through a poll.
 */
class DovecotIdleTest {

    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("idle");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private RunningMailbridge start(String folder, Map<String, String> overrides) throws Exception {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("mail.imap.folders", folder);
        all.putIfAbsent("mail.imap.poll-delay", "60s");
        all.put("mail.sink.log-level", "DEBUG");
        all.put("mail.imap.debug", System.getProperty("mail.imap.debug", "false"));
        return RunningMailbridge.start(data.resolve(folder), dovecot.port(), 1, DovecotServer.USER, DovecotServer.PASSWORD, all);
    }

    static ImapUidConsumer consumer(RunningMailbridge mb) {
        return (ImapUidConsumer) mb.context().getRoute("imap-inbound").getConsumer();
    }

    static void awaitIdling(RunningMailbridge mb) throws InterruptedException {
        RunningMailbridge.await(Duration.ofSeconds(20), () -> {
            List<IdleWatcher> watchers = consumer(mb).idleWatchers();
            return !watchers.isEmpty() && watchers.stream().allMatch(IdleWatcher::isConnected);
        }, "IDLE established on every folder");
    }

    private static void append(ImapClient imap, String folder, String subject) throws Exception {
        imap.append(folder, TestMessages.plain("sender@example.com", "alice@localhost", subject, subject + "\n"),
                new Flags(), new java.util.Date());
    }

    @Test
    void newMailBecomesARecordWithinASecond() throws Exception {
        String folder = "Latency";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            try (RunningMailbridge mb = start(folder, Map.of())) {
                awaitIdling(mb);
                List<Long> millis = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    long started = System.nanoTime();
                    append(imap, folder, "latency " + i);
                    int expected = i;
                    RunningMailbridge.await(Duration.ofSeconds(10),
                            () -> count(mb) >= expected, "record " + i + " (polling is at 60 s)");
                    millis.add((System.nanoTime() - started) / 1_000_000);
                }
                List<Long> sorted = new ArrayList<>(millis);
                Collections.sort(sorted);
                long median = (sorted.get(9) + sorted.get(10)) / 2;
                System.out.println("IDLE APPEND-to-record latency over 20 messages: median " + median + " ms, max "
                        + sorted.get(19) + " ms, all " + millis);
                assertTrue(median < 1000, "median " + median + " ms: " + millis);
                assertEquals(20, mb.records().size());
            }
        }
    }

    @Test
    void connectionKilledMidIdleLosesNothingAndDeliversNothingTwice() throws Exception {
        String folder = "Killed";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD);
                LoggerCapture log = LoggerCapture.of("io.mailbridge.imap", Level.INFO)) {
            imap.create(folder);
            try (RunningMailbridge mb = start(folder, Map.of())) {
                for (int i = 1; i <= 3; i++) {
                    append(imap, folder, "before " + i);
                }
                mb.awaitRecords(3);
                awaitIdling(mb);
                IdleWatcher watcher = consumer(mb).idleWatchers().get(0);

                imap.close(); // its own process would be killed too
                int killed = dovecot.killImapProcesses();
                assertTrue(killed >= 2, "killed " + killed + " imap processes (command and IDLE connection)");
                try (ImapClient again = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
                    for (int i = 1; i <= 4; i++) {
                        append(again, folder, "while gone " + i);
                    }
                }
                List<JsonNode> records = mb.awaitRecords(7);
                Thread.sleep(1500); // anything delivered twice would show up now
                records = mb.records();

                Set<Long> uids = new TreeSet<>();
                records.forEach(r -> uids.add(r.get("uid").asLong()));
                assertEquals(7, records.size(), "one record per message");
                assertEquals(7, uids.size(), "no UID twice: " + uids);
                assertTrue(watcher.reconnects() >= 1, "the IDLE connection was re-established");
                assertTrue(watcher.isConnected());
                assertTrue(log.lines().stream().anyMatch(l -> l.level() == Level.WARN && l.message().contains("IDLE connection lost")),
                        log.lines().toString());
            }
        }
    }

    /**
     * A quiet IDLE is re-issued on the same connection, never taken for a dead one. The interval is
     * 2 s here instead of 10 minutes, so 25 s cover about 12 re-issues: the same as two hours at the
     * default interval.
     */
    @Test
    void quietIdleIsReissuedWithoutReconnecting() throws Exception {
        String folder = "Quiet";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD);
                LoggerCapture log = LoggerCapture.of("io.mailbridge.imap", Level.DEBUG)) {
            imap.create(folder);
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.idle-interval", "2s"))) {
                awaitIdling(mb);
                IdleWatcher watcher = consumer(mb).idleWatchers().get(0);
                Thread.sleep(25_000);

                assertTrue(watcher.reissues() >= 8, "re-issued " + watcher.reissues() + " times");
                assertEquals(0, watcher.reconnects());
                assertTrue(watcher.isConnected());
                assertTrue(log.containing("IDLE connection").isEmpty(), log.containing("IDLE connection").toString());
                assertTrue(log.lines().stream().noneMatch(l -> l.level().isMoreSpecificThan(Level.WARN)), log.lines().toString());

                long started = System.nanoTime();
                append(imap, folder, "after the quiet");
                mb.awaitRecords(1);
                System.out.println("after 25 s of quiet IDLE: record in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        }
    }

    private static int count(RunningMailbridge mb) {
        try {
            return RunningMailbridge.jsonFiles(mb.inbox()).size();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0; // a record file renamed while the directory was walked: look again
        }
    }
}
