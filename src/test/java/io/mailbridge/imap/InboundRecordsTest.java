package io.mailbridge.imap;

import io.mailbridge.imap.component.ImapUidConsumer;
import io.mailbridge.imap.sync.PollStatistics;
import io.mailbridge.imap.protocol.UidCommands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The YAML inbound route against GreenMail: what lands in data/inbox for each kind of message. */
class InboundRecordsTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    GreenMailUser user;
    MailFolder inbox;

    @BeforeEach
    void user() throws Exception {
        user = greenMail.setUser("alice@localhost", "alice", "secret");
        inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
    }

    private RunningMailbridge start(Map<String, String> overrides) throws Exception {
        return RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(), "alice",
                "secret", overrides);
    }

    private static Map<String, JsonNode> bySubject(List<JsonNode> records) {
        Map<String, JsonNode> out = new HashMap<>();
        records.forEach(r -> out.put(r.get("subject").asText(), r));
        return out;
    }

    @Test
    void recordsCarryTheFieldsOfEachKindOfMessage() throws Exception {
        byte[] pdf = "%PDF-1.4 not really a pdf".getBytes();
        inbox.appendMessage(TestMessages.plain("Ann <ann@example.com>", "alice@localhost", "plain one", "Hello plain\n"),
                new Flags(), new Date());
        inbox.appendMessage(TestMessages.alternative("alt one", "text part\n", "<p>html part</p>"), new Flags(), new Date());
        inbox.appendMessage(TestMessages.withAttachment("with attachment", "see attached\n", "report.pdf", pdf,
                "application/pdf"), new Flags(), new Date());
        inbox.appendMessage(TestMessages.plain("x@example.com", "alice@localhost", "Grüße – Ünïcødé 請求書", "body\n"),
                new Flags(), new Date());
        inbox.appendMessage(TestMessages.latin1("Bestellung für Müller", "Grüße aus München\n"), new Flags(), new Date());

        try (RunningMailbridge mb = start(Map.of())) {
            Map<String, JsonNode> r = bySubject(mb.awaitRecords(5));

            JsonNode plain = r.get("plain one");
            assertEquals("mailbridge.message/1", plain.get("schema").asText());
            assertEquals("Hello plain\n", plain.get("text").asText());
            assertTrue(plain.get("html").isNull());
            assertEquals("ann@example.com", plain.get("from").get(0).get("address").asText());
            assertEquals("Ann", plain.get("from").get(0).get("name").asText());
            assertEquals("alice@localhost", plain.get("to").get(0).get("address").asText());
            assertTrue(plain.get("messageId").asText().startsWith("<"));
            assertFalse(plain.get("date").isNull());
            assertTrue(plain.get("error").isNull());
            assertTrue(headerNames(plain).contains("Subject"));

            JsonNode alt = r.get("alt one");
            assertEquals("text part\n", alt.get("text").asText());
            assertEquals("<p>html part</p>", alt.get("html").asText());
            assertEquals(0, alt.get("attachments").size());

            JsonNode att = r.get("with attachment");
            assertEquals("see attached\n", att.get("text").asText());
            assertEquals(1, att.get("attachments").size());
            JsonNode a = att.get("attachments").get(0);
            assertEquals("report.pdf", a.get("filename").asText());
            assertEquals("application/pdf", a.get("contentType").asText());
            assertEquals(pdf.length, a.get("size").asLong());
            assertEquals("attachment", a.get("disposition").asText());
            assertEquals("<att-1@example.com>", a.get("contentId").asText());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)), a.get("sha256").asText());
            assertEquals(2, att.get("cc").size());
            assertEquals("Doe, Carol", att.get("cc").get(1).get("name").asText());

            assertTrue(r.containsKey("Grüße – Ünïcødé 請求書"), "RFC 2047 subject decoded: " + r.keySet());

            JsonNode latin = r.get("Bestellung für Müller");
            assertEquals("Grüße aus München\n", latin.get("text").asText());
            assertEquals("Jürgen Müller", latin.get("from").get(0).get("name").asText());
        }
    }

    private static List<String> headerNames(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.get("headers").forEach(h -> names.add(h.get("name").asText()));
        return names;
    }

    @Test
    void uidValidityUidAndFlagsAreWhatTheServerReportsAndSeenIsNotSet() throws Exception {
        Flags flagged = new Flags(Flags.Flag.FLAGGED);
        flagged.add("$Invoice");
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "m1", "1"), flagged, new Date());
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "m2", "2"), new Flags(Flags.Flag.SEEN), new Date());
        Flags answered = new Flags(Flags.Flag.ANSWERED);
        answered.add(Flags.Flag.DRAFT);
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "m3", "3"), answered, new Date());

        try (RunningMailbridge mb = start(Map.of())) {
            List<JsonNode> records = mb.awaitRecords(3);
            long uidValidity = inbox.getUidValidity();
            for (JsonNode rec : records) {
                long uid = rec.get("uid").asLong();
                StoredMessage stored = inbox.getMessage(uid);
                assertEquals(uidValidity, rec.get("uidValidity").asLong());
                assertEquals(rec.get("subject").asText(), stored.getMimeMessage().getSubject(), "uid " + uid + " is that message");
                assertEquals("alice@127.0.0.1/INBOX/" + uidValidity + "/" + uid, rec.get("key").asText());
                assertTrue(Files.exists(mb.inbox().resolve("alice@127.0.0.1/INBOX/" + uidValidity + "/" + uid + ".json")));
                List<String> flags = new ArrayList<>();
                rec.get("flags").forEach(f -> flags.add(f.asText()));
                flags.remove("\\Recent");
                List<String> expected = new ArrayList<>(io.mailbridge.imap.protocol.UidCommands.imapFlags(stored.getFlags()));
                expected.remove("\\Recent");
                assertEquals(expected.stream().sorted().toList(), flags.stream().sorted().toList(), "flags of uid " + uid);
            }
            Map<String, JsonNode> r = bySubject(records);
            assertTrue(r.get("m1").get("flags").toString().contains("\\\\Flagged"));
            assertTrue(r.get("m1").get("flags").toString().contains("$Invoice"));
            assertTrue(r.get("m3").get("flags").toString().contains("\\\\Answered"));
            // ingestion must not mark anything read
            assertFalse(inbox.getMessage(r.get("m1").get("uid").asLong()).getFlags().contains(Flags.Flag.SEEN));
            assertFalse(inbox.getMessage(r.get("m3").get("uid").asLong()).getFlags().contains(Flags.Flag.SEEN));
        }
    }

    @Test
    void aSecondPollEmitsNothingNewAndNewMailIsPickedUp() throws Exception {
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "first", "1"), new Flags(), new Date());
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "second", "2"), new Flags(), new Date());
        try (RunningMailbridge mb = start(Map.of())) {
            mb.awaitRecords(2);
            Map<Path, Long> written = new HashMap<>();
            for (Path p : RunningMailbridge.jsonFiles(mb.inbox())) {
                written.put(p, Files.getLastModifiedTime(p).toMillis());
            }
            Thread.sleep(1500); // several polls at 200 ms
            PollStatistics stats = ((ImapUidConsumer) mb.context().getRoute("imap-inbound").getConsumer()).statistics();
            assertEquals(1, stats.searches(), "idle polls send no SEARCH: " + stats);
            assertTrue(stats.idlePolls() >= 3, stats.toString());
            assertEquals(written.keySet(), Map.copyOf(toMap(RunningMailbridge.jsonFiles(mb.inbox()))).keySet());
            for (Map.Entry<Path, Long> e : written.entrySet()) {
                assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()).toMillis(), e.getKey() + " was rewritten");
            }
            inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "third", "3"), new Flags(), new Date());
            List<JsonNode> after = mb.awaitRecords(3);
            assertEquals(3, after.size());
        }
    }

    private static Map<Path, Boolean> toMap(List<Path> paths) {
        Map<Path, Boolean> m = new HashMap<>();
        paths.forEach(p -> m.put(p, true));
        return m;
    }

    @Test
    void searchTermsRestrictWhatIsIngested() throws Exception {
        Date old = Date.from(java.time.Instant.parse("2026-10-15T10:00:00Z"));
        Date recent = Date.from(java.time.Instant.parse("2026-11-10T10:00:00Z"));
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "old unseen", "x"), new Flags(), old);
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "old seen", "x"), new Flags(Flags.Flag.SEEN), old);
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "new unseen", "x"), new Flags(), recent);
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "new seen", "x"), new Flags(Flags.Flag.SEEN), recent);

        assertEquals(List.of("new seen", "new unseen", "old seen", "old unseen"), subjectsFor("ALL", 4));
        assertEquals(List.of("new unseen", "old unseen"), subjectsFor("UNSEEN", 2));
        assertEquals(List.of("new seen", "new unseen"), subjectsFor("SINCE 1-Nov-2026", 2));
        assertEquals(List.of("new unseen"), subjectsFor("UNSEEN SINCE 1-Nov-2026", 1));
        // GreenMail cannot parse parenthesised groups; DovecotIntegrationTest covers them on a real server
        assertEquals(List.of("new seen", "old unseen"), subjectsFor("OR SUBJECT \"new seen\" SUBJECT \"old unseen\"", 2));
    }

    private List<String> subjectsFor(String search, int expected) throws Exception {
        Path dir = data.resolve(search.replaceAll("[^A-Za-z0-9]", "_"));
        try (RunningMailbridge mb = RunningMailbridge.start(dir, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", Map.of("mail.imap.search", search))) {
            mb.awaitRecords(expected);
            Thread.sleep(600); // a few more polls: nothing beyond the expected matches may arrive
            return mb.records().stream().map(r -> r.get("subject").asText()).sorted().toList();
        }
    }

    @Test
    void unreadableBodyStillBecomesARecordWithAnError() throws Exception {
        jakarta.mail.internet.MimeMessage m = TestMessages.plain("a@example.com", "alice@localhost", "odd charset", "body");
        m.setHeader("Content-Type", "text/plain; charset=x-no-such-charset");
        m.saveChanges();
        inbox.appendMessage(m, new Flags(), new Date());
        try (RunningMailbridge mb = start(Map.of())) {
            JsonNode rec = mb.awaitRecords(1).get(0);
            assertEquals("odd charset", rec.get("subject").asText());
            assertTrue(rec.get("error").asText().contains("x-no-such-charset"), rec.get("error").asText());
            assertEquals("body", rec.get("text").asText());
        }
    }
}
