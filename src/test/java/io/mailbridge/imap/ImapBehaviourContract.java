package io.mailbridge.imap;

import io.mailbridge.imap.component.ImapUidConsumer;
import io.mailbridge.imap.sync.PollStatistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What mailbridge promises about a mailbox, run against each server (GreenMail, Dovecot): first-start
 * positions, UIDVALIDITY changes, post-actions and fetch modes. Each test uses folders of its own.
 */
abstract class ImapBehaviourContract {

    private static final AtomicInteger FOLDERS = new AtomicInteger();

    @TempDir
    Path data;

    protected ImapClient imap;
    protected String folder;

    protected abstract int imapPort();

    protected abstract String user();

    protected abstract String password();

    @BeforeEach
    void connect() throws Exception {
        imap = new ImapClient(imapPort(), user(), password());
        folder = "T" + System.nanoTime() % 100000 + "x" + FOLDERS.incrementAndGet();
        imap.create(folder);
    }

    @AfterEach
    void disconnect() throws Exception {
        imap.close();
    }

    protected RunningMailbridge start(String dir, Map<String, String> overrides) throws Exception {
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("mail.imap.folders", folder);
        return RunningMailbridge.start(data.resolve(dir), imapPort(), 1, user(), password(), all);
    }

    protected long append(String subject, Flags flags, String internalDate) throws Exception {
        return imap.append(folder, TestMessages.plain("sender@example.com", "alice@localhost", subject, subject + " body\n"),
                flags, Date.from(Instant.parse(internalDate)));
    }

    protected static List<String> subjects(List<JsonNode> records) {
        return records.stream().map(r -> r.get("subject").asText()).sorted().toList();
    }

    /** Waits for the expected records, then a few more polls to be sure nothing else comes. */
    protected static List<JsonNode> settle(RunningMailbridge mb, int expected) throws Exception {
        mb.awaitRecords(expected);
        Thread.sleep(800);
        return mb.records();
    }

    @Test
    void startFromNowSkipsExistingMail() throws Exception {
        append("before 1", new Flags(), "2026-11-01T10:00:00Z");
        append("before 2", new Flags(), "2026-11-01T11:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.start-from", "now"))) {
            Thread.sleep(1200);
            append("after", new Flags(), "2026-11-02T10:00:00Z");
            assertEquals(List.of("after"), subjects(settle(mb, 1)));
        }
    }

    @Test
    void startFromDateUsesInternalDate() throws Exception {
        append("october", new Flags(), "2026-10-20T10:00:00Z");
        append("november", new Flags(), "2026-11-05T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.start-from", "1-Nov-2026"))) {
            assertEquals(List.of("november"), subjects(settle(mb, 1)));
        }
    }

    @Test
    void restartResumesFromTheCheckpoint() throws Exception {
        append("one", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of())) {
            settle(mb, 1);
        }
        append("two", new Flags(), "2026-11-02T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of())) {
            PollStatistics stats = statistics(mb);
            RunningMailbridge.await(Duration.ofSeconds(10), () -> stats.delivered() >= 1, "one delivery");
            Thread.sleep(800);
            assertEquals(1, stats.delivered(), "only the new message after a restart: " + stats);
            assertEquals(List.of("one", "two"), subjects(mb.records()));
        }
    }

    /** Ingests two messages, then the folder is recreated with three (one older than the last ingested). */
    private long uidValidityChange(String policy, int expectedAfter, List<String> expectedSubjects) throws Exception {
        append("first", new Flags(), "2026-11-01T10:00:00Z");
        append("second", new Flags(), "2026-11-02T10:00:00Z");
        long before;
        Map<String, String> props = Map.of("mail.imap.on-uidvalidity-change", policy);
        try (RunningMailbridge mb = start("run", props)) {
            settle(mb, 2);
            before = imap.uidValidity(folder);
        }
        imap.recreate(folder);
        long after = imap.uidValidity(folder);
        assertNotEquals(before, after, "the server gave the recreated folder a new UIDVALIDITY");
        append("older than the last one", new Flags(), "2026-10-30T10:00:00Z");
        append("third", new Flags(), "2026-11-03T10:00:00Z");
        append("fourth", new Flags(), "2026-11-04T10:00:00Z");
        try (RunningMailbridge mb = start("run", props)) {
            if (expectedAfter > 0) {
                mb.awaitRecords(2 + expectedAfter);
            }
            Thread.sleep(1200);
            List<JsonNode> fresh = mb.records().stream().filter(r -> r.get("uidValidity").asLong() == after).toList();
            assertEquals(expectedSubjects, subjects(fresh));
        }
        return after;
    }

    @Test
    void uidValidityChangeSinceLastDateReingestsOnlyNewerMail() throws Exception {
        uidValidityChange("since-last-date", 2, List.of("fourth", "third"));
    }

    @Test
    void uidValidityChangeAllReingestsEverything() throws Exception {
        uidValidityChange("all", 3, List.of("fourth", "older than the last one", "third"));
    }

    @Test
    void uidValidityChangeNowSkipsToTheEnd() throws Exception {
        uidValidityChange("now", 0, List.of());
    }

    @Test
    void uidValidityChangeFailStopsTheRoute() throws Exception {
        append("first", new Flags(), "2026-11-01T10:00:00Z");
        Map<String, String> props = Map.of("mail.imap.on-uidvalidity-change", "fail");
        try (RunningMailbridge mb = start("run", props)) {
            settle(mb, 1);
        }
        imap.recreate(folder);
        append("after recreate", new Flags(), "2026-11-03T10:00:00Z");
        try (RunningMailbridge mb = start("run", props)) {
            RunningMailbridge.await(Duration.ofSeconds(10),
                    () -> mb.context().getRouteController().getRouteStatus("imap-inbound") == ServiceStatus.Stopped,
                    "imap-inbound stopped");
            assertEquals(1, mb.records().size(), "nothing ingested under the new UIDVALIDITY");
        }
    }

    @Test
    void afterSeenMarksOnlyDeliveredMessages() throws Exception {
        long uid = append("to mark", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.after", "seen"))) {
            JsonNode rec = settle(mb, 1).get(0);
            assertFalse(rec.get("flags").toString().contains("Seen"), "the record shows the flags before the action");
            RunningMailbridge.await(Duration.ofSeconds(5), () -> flagged(rec.get("uid").asLong(), Flags.Flag.SEEN), "\\Seen set");
        }
        assertTrue(uid == -1 || imap.flags(folder, uid).contains(Flags.Flag.SEEN));
    }

    @Test
    void afterFlagSetsTheKeyword() throws Exception {
        append("to flag", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.after", "flag:$Forwarded"))) {
            long uid = settle(mb, 1).get(0).get("uid").asLong();
            RunningMailbridge.await(Duration.ofSeconds(5), () -> {
                try {
                    return imap.flags(folder, uid).contains("$Forwarded");
                } catch (Exception e) {
                    return false;
                }
            }, "$Forwarded set");
            assertFalse(imap.flags(folder, uid).contains(Flags.Flag.SEEN), "nothing else changed");
        }
    }

    @Test
    void afterMoveMovesToTheTargetFolder() throws Exception {
        String archive = folder + "Archive";
        imap.create(archive);
        append("to move", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.after", "move:" + archive))) {
            settle(mb, 1);
            RunningMailbridge.await(Duration.ofSeconds(5), () -> count(folder) == 0 && count(archive) == 1, "moved");
        }
    }

    @Test
    void afterDeleteRemovesTheMessage() throws Exception {
        append("to delete", new Flags(), "2026-11-01T10:00:00Z");
        append("to delete too", new Flags(), "2026-11-01T11:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.after", "delete"))) {
            settle(mb, 2);
            RunningMailbridge.await(Duration.ofSeconds(5), () -> count(folder) == 0, "deleted and expunged");
        }
    }

    @Test
    void defaultLeavesTheMailboxUntouched() throws Exception {
        long uid = append("untouched", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of())) {
            long recUid = settle(mb, 1).get(0).get("uid").asLong();
            Flags flags = imap.flags(folder, recUid);
            assertFalse(flags.contains(Flags.Flag.SEEN));
            assertEquals(0, flags.getUserFlags().length);
            assertTrue(uid == -1 || uid == recUid);
        }
    }

    @Test
    void fetchHeadersDownloadsNoBodyAndRawCarriesTheMessage() throws Exception {
        append("fetch modes", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("headers", Map.of("mail.imap.fetch", "headers"))) {
            JsonNode rec = settle(mb, 1).get(0);
            assertEquals("fetch modes", rec.get("subject").asText());
            assertTrue(rec.get("text").isNull());
            assertTrue(rec.get("raw").isNull());
        }
        try (RunningMailbridge mb = start("raw", Map.of("mail.imap.fetch", "raw"))) {
            JsonNode rec = settle(mb, 1).get(0);
            assertEquals("fetch modes body\n", rec.get("text").asText());
            String raw = new String(Base64.getDecoder().decode(rec.get("raw").asText()), StandardCharsets.UTF_8);
            assertTrue(raw.contains("Subject: fetch modes"), raw);
        }
    }

    @Test
    void messagesAboveMaxInlineBytesAreSpooledAndStillComplete() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(42).nextBytes(big);
        imap.append(folder, TestMessages.withAttachment("big one", "see attached\n", "big.bin", big,
                "application/octet-stream"), new Flags(), new Date());
        append("small one", new Flags(), "2026-11-01T10:00:00Z");
        try (RunningMailbridge mb = start("run", Map.of("mail.record.max-inline-bytes", "1048576"))) {
            List<JsonNode> records = settle(mb, 2);
            JsonNode bigRecord = records.stream().filter(r -> r.get("subject").asText().equals("big one")).findFirst().orElseThrow();
            JsonNode att = bigRecord.get("attachments").get(0);
            assertEquals(big.length, att.get("size").asLong());
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big)),
                    att.get("sha256").asText());
            assertEquals("see attached\n", bigRecord.get("text").asText());
            assertEquals(1, statistics(mb).spooled(), "only the large message went through a temp file");
        }
    }

    @Test
    void perFolderSearchOverridesTheGlobalOne() throws Exception {
        String other = folder + "b";
        imap.create(other);
        append("seen", new Flags(Flags.Flag.SEEN), "2026-11-01T10:00:00Z");
        append("unseen", new Flags(), "2026-11-01T11:00:00Z");
        imap.append(other, TestMessages.plain("a@example.com", "alice@localhost", "other seen", "x"),
                new Flags(Flags.Flag.SEEN), new Date());
        try (RunningMailbridge mb = start("run", Map.of("mail.imap.folders", folder + "," + other,
                "mail.imap.search", "UNSEEN", "mail.imap.folder." + other + ".search", "ALL"))) {
            assertEquals(List.of("other seen", "unseen"), subjects(settle(mb, 2)));
        }
    }

    protected boolean flagged(long uid, Flags.Flag flag) {
        try {
            Flags f = imap.flags(folder, uid);
            return f != null && f.contains(flag);
        } catch (Exception e) {
            return false;
        }
    }

    protected int count(String name) {
        try {
            return imap.count(name);
        } catch (Exception e) {
            return -1;
        }
    }

    protected static PollStatistics statistics(RunningMailbridge mb) {
        return ((ImapUidConsumer) mb.context().getRoute("imap-inbound").getConsumer()).statistics();
    }

}
