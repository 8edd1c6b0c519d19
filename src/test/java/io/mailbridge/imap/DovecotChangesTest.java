package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.support.ChangeEventFiles;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change events (mail.imap.changes) on Dovecot, which has CONDSTORE and QRESYNC: what another client does to a
 * delivered message becomes one mailbridge.change/1 event each, within a second through IDLE (polling is at a
 * minute), and changes made while mailbridge was stopped are reported once at the next start.
 */
class DovecotChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("changes");
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
        all.put("mail.imap.changes", "true");
        all.put("mail.changes.uri", "file:" + data.resolve("changes") + "?tempPrefix=.writing-");
        return RunningMailbridge.start(data.resolve("run"), dovecot.port(), 1, DovecotServer.USER, DovecotServer.PASSWORD, all);
    }

    private ChangeEventFiles changes() {
        return new ChangeEventFiles(data.resolve("changes"));
    }

    private List<JsonNode> allEvents() throws IOException {
        return changes().all();
    }

    private List<JsonNode> events() throws IOException {
        return changes().withoutDeletedMarks();
    }

    private List<JsonNode> awaitEvents(int count, Duration within) throws Exception {
        return changes().await(count, within);
    }

    private List<JsonNode> expunged() {
        try {
            return events().stream().filter(e -> e.get("change").asText().equals("expunged")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long append(ImapClient imap, String folder, String subject) throws Exception {
        return imap.append(folder, TestMessages.plain("sender@example.com", "alice@localhost", subject, subject + "\n"),
                new Flags(), new Date());
    }

    private static List<String> flags(JsonNode event) {
        return ChangeEventFiles.flags(event);
    }

    @Test
    void anotherClientsFlagsKeywordsExpungeAndMoveBecomeEventsWithinASecond() throws Exception {
        String folder = "Live";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long first = append(imap, folder, "one");
            long second = append(imap, folder, "two");
            long third = append(imap, folder, "three");
            try (RunningMailbridge mb = start(folder, Map.of())) {
                List<JsonNode> records = mb.awaitRecords(3);
                assertEquals(3, records.size());
                DovecotIdleTest.awaitIdling(mb);
                long uidValidity = imap.uidValidity(folder);

                List<Long> millis = new ArrayList<>();
                int expected = 0;
                for (int i = 0; i < 8; i++) { // set and clear \Flagged 4 times: 8 events, each timed
                    long started = System.nanoTime();
                    imap.setFlags(folder, first, new Flags(Flags.Flag.FLAGGED), i % 2 == 0);
                    awaitEvents(++expected, Duration.ofSeconds(10));
                    millis.add((System.nanoTime() - started) / 1_000_000);
                }
                List<Long> sorted = new ArrayList<>(millis);
                Collections.sort(sorted);
                long median = (sorted.get(3) + sorted.get(4)) / 2;
                System.out.println("STORE-to-change-event latency with IDLE over 8 changes: median " + median + " ms, all " + millis);
                assertTrue(median < 1000, "median " + median + " ms: " + millis);

                imap.setFlags(folder, second, new Flags("$Invoice"), true);
                awaitEvents(++expected, Duration.ofSeconds(10));
                imap.expunge(folder, second);
                awaitEvents(++expected, Duration.ofSeconds(10));
                imap.move(folder, third, "Archive");
                List<JsonNode> events = awaitEvents(++expected, Duration.ofSeconds(10));
                Thread.sleep(1500); // an event reported twice would show up now
                events = events();
                assertEquals(11, events.size(), events.toString());

                JsonNode flagged = events.get(0);
                assertEquals("mailbridge.change/1", flagged.get("schema").asText());
                assertEquals("alice@127.0.0.1/" + folder + "/" + uidValidity + "/" + first, flagged.get("key").asText());
                assertEquals(records.stream().filter(r -> r.get("uid").asLong() == first).findFirst().orElseThrow().get("key").asText(),
                        flagged.get("key").asText(), "a change carries its record's key");
                assertEquals(folder, flagged.get("folder").asText());
                assertEquals(uidValidity, flagged.get("uidValidity").asLong());
                assertEquals(first, flagged.get("uid").asLong());
                assertEquals("flags", flagged.get("change").asText());
                assertTrue(flags(flagged).contains("\\Flagged"), flagged.toString());
                assertTrue(flagged.get("modseq").isNumber(), "Dovecot has CONDSTORE: " + flagged);
                assertNotNull(flagged.get("seenAt").asText());
                assertTrue(!flags(events.get(1)).contains("\\Flagged"), "cleared: " + events.get(1));
                assertTrue(events.get(1).get("modseq").asLong() > flagged.get("modseq").asLong(), "MODSEQ grows");

                JsonNode keyword = events.get(8);
                assertEquals(second, keyword.get("uid").asLong());
                assertTrue(flags(keyword).contains("$Invoice"), keyword.toString());
                JsonNode expunged = events.get(9);
                assertEquals(second, expunged.get("uid").asLong());
                assertEquals("expunged", expunged.get("change").asText());
                assertTrue(expunged.get("flags").isNull());
                JsonNode moved = events.get(10);
                assertEquals(third, moved.get("uid").asLong());
                assertEquals("expunged", moved.get("change").asText(), "moved away is gone from this folder");
                assertEquals(3, mb.records().size(), "changes are not records");
            }
        }
    }

    @Test
    void changesMadeWhileStoppedAreReportedOnceAtTheNextStart() throws Exception {
        String folder = "Stopped";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long first = append(imap, folder, "one");
            long second = append(imap, folder, "two");
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.idle", "false", "mail.imap.poll-delay", "200"))) {
                mb.awaitRecords(2);
                Thread.sleep(600); // a few polls: nothing changed, no event
                assertEquals(0, events().size());
            }
            imap.setFlags(folder, first, new Flags(Flags.Flag.SEEN), true);
            imap.expunge(folder, second);
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.idle", "false", "mail.imap.poll-delay", "200"))) {
                List<JsonNode> events = awaitEvents(2, Duration.ofSeconds(10));
                Thread.sleep(1000);
                events = events();
                assertEquals(2, events.size(), events.toString());
                assertEquals("flags", events.get(0).get("change").asText());
                assertEquals(List.of("\\Seen"), flags(events.get(0)));
                assertEquals("expunged", events.get(1).get("change").asText());
                assertEquals(second, events.get(1).get("uid").asLong());
            }
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.idle", "false", "mail.imap.poll-delay", "200"))) {
                Thread.sleep(1500);
                assertEquals(2, events().size(), "reported once: " + events());
            }
        }
    }

    @Test
    void mailbridgesOwnPostActionIsNotAChange() throws Exception {
        String folder = "Own";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long first = append(imap, folder, "one");
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.after", "seen", "mail.imap.idle", "false",
                    "mail.imap.poll-delay", "200"))) {
                mb.awaitRecords(1);
                RunningMailbridge.await(Duration.ofSeconds(10), () -> {
                    try {
                        return imap.flags(folder, first).contains(Flags.Flag.SEEN);
                    } catch (Exception e) {
                        return false;
                    }
                }, "after=seen applied");
                Thread.sleep(1500);
                assertEquals(0, events().size(), "after=seen is mailbridge's own change: " + events());
                imap.setFlags(folder, first, new Flags(Flags.Flag.SEEN), false);
                List<JsonNode> events = awaitEvents(1, Duration.ofSeconds(10));
                assertEquals(List.of(), flags(events.get(0)), "a person marked it unread: " + events);
            }
        }
    }

    @Test
    void aNewUidValidityStartsTheChangesAgainWithoutEventsForTheOldMessages() throws Exception {
        String folder = "Renumbered";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            append(imap, folder, "old");
            Map<String, String> polling = Map.of("mail.imap.idle", "false", "mail.imap.poll-delay", "200",
                    "mail.imap.on-uidvalidity-change", "all");
            try (RunningMailbridge mb = start(folder, polling)) {
                mb.awaitRecords(1);
            }
            imap.recreate(folder);
            long renumbered = append(imap, folder, "new");
            try (RunningMailbridge mb = start(folder, polling)) {
                mb.awaitRecords(2);
                Thread.sleep(1000);
                assertEquals(0, events().size(), "the old folder's messages are not reported expunged: " + events());
                imap.setFlags(folder, renumbered, new Flags(Flags.Flag.ANSWERED), true);
                List<JsonNode> events = awaitEvents(1, Duration.ofSeconds(10));
                assertEquals(imap.uidValidity(folder), events.get(0).get("uidValidity").asLong());
                assertEquals(List.of("\\Answered"), flags(events.get(0)));
            }
        }
    }

    @Test
    void aChangeSinkOutageHoldsTheEventsBackWhileNewMailFlows() throws Exception {
        String folder = "Outage";
        Path blocker = data.resolve("blocked");
        Files.writeString(blocker, "a file where the change sink's directory should be");
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long first = append(imap, folder, "one");
            Map<String, String> overrides = new HashMap<>(Map.of("mail.imap.idle", "false", "mail.imap.poll-delay", "200"));
            try (RunningMailbridge mb = startWithChangesUri(folder, "file:" + blocker.resolve("changes") + "?tempPrefix=.writing-", overrides)) {
                mb.awaitRecords(1);
                imap.setFlags(folder, first, new Flags(Flags.Flag.FLAGGED), true);
                Thread.sleep(1000); // the change sink fails and is retried
                append(imap, folder, "two");
                mb.awaitRecords(2); // new mail is not held up by the change sink
                assertEquals(List.of(), RunningMailbridge.jsonFiles(blocker.getParent().resolve("changes")));
                String readiness = HealthCheckHelper.invokeReadiness(mb.context()).stream()
                        .filter(r -> r.getState() == HealthCheck.State.DOWN)
                        .map(r -> r.getCheck().getId() + ": " + r.getMessage().orElse("")).toList().toString();
                assertTrue(readiness.contains("blocked/changes"), "readiness names the change sink: " + readiness);
                Files.delete(blocker); // the change sink is back
                new ChangeEventFiles(blocker.resolve("changes")).await(1, Duration.ofSeconds(15)); // the held-back change event delivered
                Thread.sleep(1000);
                List<Path> delivered = RunningMailbridge.jsonFiles(blocker.resolve("changes"));
                assertEquals(1, delivered.size(), "once: " + delivered);
                JsonNode event = JSON.readTree(delivered.get(0).toFile());
                assertEquals(first, event.get("uid").asLong());
                assertTrue(flags(event).contains("\\Flagged"), event.toString());
            }
        }
    }

    private RunningMailbridge startWithChangesUri(String folder, String changesUri, Map<String, String> overrides) throws Exception {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("mail.imap.folders", folder);
        all.put("mail.imap.changes", "true");
        all.put("mail.changes.uri", changesUri);
        return RunningMailbridge.start(data.resolve("run"), dovecot.port(), 1, DovecotServer.USER, DovecotServer.PASSWORD, all);
    }

    /**
     * Two messages expunged in one go: each is one event, and the records connection goes on (Angus 2.0.5 fails on a
     * plain VANISHED of several UIDs, so QRESYNC is enabled only on the changes path's own connection).
     */
    @Test
    void severalMessagesExpungedAtOnceAreOneEventEachAndNewMailStillFlows() throws Exception {
        String folder = "Bulk";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long first = append(imap, folder, "one");
            long second = append(imap, folder, "two");
            long third = append(imap, folder, "three");
            try (RunningMailbridge mb = start(folder, Map.of())) {
                mb.awaitRecords(3);
                DovecotIdleTest.awaitIdling(mb);
                imap.expunge(folder, first, second, third);
                RunningMailbridge.await(Duration.ofSeconds(10), () -> expunged().size() >= 3, "3 expunge events");
                append(imap, folder, "four");
                mb.awaitRecords(4);
                Thread.sleep(1000);
                List<JsonNode> expunged = expunged();
                assertEquals(List.of(first, second, third), expunged.stream().map(e -> e.get("uid").asLong()).sorted().toList());
                assertTrue(expunged.stream().allMatch(e -> e.get("modseq").isNumber()), "the folder's MODSEQ: " + expunged);
                // the client marks them \\Deleted, then expunges: a look between the two reports the mark (a real
                // change: some clients expunge much later); nothing else
                List<JsonNode> others = allEvents().stream().filter(e -> !e.get("change").asText().equals("expunged")).toList();
                assertTrue(others.stream().allMatch(e -> flags(e).equals(List.of("\\Deleted"))), others.toString());
                assertTrue(others.size() <= 3, others.toString());
            }
        }
    }

    /** after=move: mailbridge moves each message away itself, twice in one command: no event, records go on. */
    @Test
    void messagesMailbridgeMovesAwayAreNotEvents() throws Exception {
        String folder = "MoveAfter";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            imap.create("MoveAfterDone");
            append(imap, folder, "one");
            append(imap, folder, "two");
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.after", "move:MoveAfterDone"))) {
                mb.awaitRecords(2);
                RunningMailbridge.await(Duration.ofSeconds(10), () -> {
                    try {
                        return imap.count(folder) == 0;
                    } catch (Exception e) {
                        return false;
                    }
                }, "both moved by after=move");
                append(imap, folder, "three");
                append(imap, folder, "four");
                mb.awaitRecords(4);
                Thread.sleep(1500);
                assertEquals(0, events().size(), "mailbridge's own moves are not events: " + events());
            }
        }
    }

    /** With search UNSEEN only the messages delivered as records get events, also once they are read. */
    @Test
    void withASearchOnlyTheMessagesDeliveredAsRecordsGetEvents() throws Exception {
        String folder = "Unseen";
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long read = imap.append(folder, TestMessages.plain("a@example.com", "alice@localhost", "read", "x\n"),
                    new Flags(Flags.Flag.SEEN), new Date());
            long unread = append(imap, folder, "unread");
            try (RunningMailbridge mb = start(folder, Map.of("mail.imap.search", "UNSEEN"))) {
                List<JsonNode> records = mb.awaitRecords(1);
                assertEquals(unread, records.get(0).get("uid").asLong());
                DovecotIdleTest.awaitIdling(mb);
                imap.setFlags(folder, read, new Flags(Flags.Flag.FLAGGED), true);
                imap.setFlags(folder, unread, new Flags(Flags.Flag.SEEN), true);
                List<JsonNode> events = awaitEvents(1, Duration.ofSeconds(10));
                Thread.sleep(1500);
                events = events();
                assertEquals(1, events.size(), "only the delivered message: " + events);
                assertEquals(unread, events.get(0).get("uid").asLong());
                assertEquals(List.of("\\Seen"), flags(events.get(0)), "read now, no longer matching UNSEEN, still followed");
            }
        }
    }

    /**
     * A stop while a change event waits for its sink: the stop does not wait for the sink (records' rule), and the
     * event is reported at the next start, once.
     */
    @Test
    void aStopWhileAnEventWaitsForItsSinkReportsItOnceAtTheNextStart() throws Exception {
        String folder = "StopWaiting";
        Path blocker = data.resolve("blocked-stop");
        Files.writeString(blocker, "a file where the change sink's directory should be");
        String changesUri = "file:" + blocker.resolve("changes") + "?tempPrefix=.writing-";
        Map<String, String> polling = Map.of("mail.imap.idle", "false", "mail.imap.poll-delay", "200");
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            long first = append(imap, folder, "one");
            long stopped;
            try (RunningMailbridge mb = startWithChangesUri(folder, changesUri, polling)) {
                mb.awaitRecords(1);
                imap.setFlags(folder, first, new Flags(Flags.Flag.FLAGGED), true);
                Thread.sleep(1500); // the event waits for its sink, retried
                stopped = System.nanoTime();
            }
            long stopMillis = (System.nanoTime() - stopped) / 1_000_000;
            assertTrue(stopMillis < 5_000, "the stop took " + stopMillis + " ms");
            Files.delete(blocker);
            try (RunningMailbridge mb = startWithChangesUri(folder, changesUri, polling)) {
                new ChangeEventFiles(blocker.resolve("changes")).await(1, Duration.ofSeconds(15)); // the event reported at the next start
                Thread.sleep(1000);
                assertEquals(1, RunningMailbridge.jsonFiles(blocker.resolve("changes")).size());
                JsonNode event = JSON.readTree(RunningMailbridge.jsonFiles(blocker.resolve("changes")).get(0).toFile());
                assertEquals(first, event.get("uid").asLong());
            }
        }
    }
}
