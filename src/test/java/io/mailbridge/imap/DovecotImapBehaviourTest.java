package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.DamagedMessages;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The behaviour contract against a real IMAP server, plus what GreenMail cannot show. */
class DovecotImapBehaviourTest extends ImapBehaviourContract {

    static DovecotServer dovecot;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("behaviour");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Override
    protected int imapPort() {
        return dovecot.port();
    }

    @Override
    protected String user() {
        return DovecotServer.USER;
    }

    @Override
    protected String password() {
        return DovecotServer.PASSWORD;
    }

    @Test
    void searchWithParenthesesOrNotAndNonAsciiIsEvaluatedByTheServer() throws Exception {
        Flags flagged = new Flags(Flags.Flag.FLAGGED);
        imap.append(folder, TestMessages.plain("billing@example.com", "alice@localhost", "Invoice 17", "x"), new Flags(),
                java.util.Date.from(java.time.Instant.parse("2026-11-05T10:00:00Z")));
        imap.append(folder, TestMessages.plain("billing@example.com", "alice@localhost", "Reminder", "x"), flagged,
                java.util.Date.from(java.time.Instant.parse("2026-11-06T10:00:00Z")));
        imap.append(folder, TestMessages.plain("friend@example.com", "alice@localhost", "Rechnungsprüfung", "x"),
                new Flags(Flags.Flag.SEEN), java.util.Date.from(java.time.Instant.parse("2026-10-01T10:00:00Z")));
        imap.append(folder, TestMessages.plain("friend@example.com", "alice@localhost", "Lunch?", "x"), new Flags(),
                java.util.Date.from(java.time.Instant.parse("2026-10-02T10:00:00Z")));

        assertEquals(List.of("Invoice 17", "Reminder"), subjectsFor("(FROM \"billing\" SINCE 1-Nov-2026)", 2));
        assertEquals(List.of("Invoice 17", "Lunch?"), subjectsFor("UNFLAGGED UNSEEN", 2));
        assertEquals(List.of("Invoice 17", "Rechnungsprüfung"),
                subjectsFor("OR (UNSEEN SUBJECT invoice) (SEEN NOT FROM billing)", 2));
        assertEquals(List.of("Rechnungsprüfung"), subjectsFor("SUBJECT \"prüfung\"", 1));
        assertEquals(List.of("Reminder"), subjectsFor("NOT (OR UNFLAGGED SEEN)", 1));
    }

    private List<String> subjectsFor(String search, int expected) throws Exception {
        try (RunningMailbridge mb = start("s" + Math.abs(search.hashCode()), Map.of("mail.imap.search", search))) {
            return subjects(settle(mb, expected));
        }
    }

    @Test
    void bytesWithNoHeaderSectionBecomeARecordWithAWarningNotADeadLetterAndThePollGoesOn() throws Exception {
        imap.append(folder, TestMessages.plain("a@example.com", "alice@localhost", "good before", "x"), new Flags(),
                new java.util.Date());
        imap.count(folder); // make Dovecot create the Maildir before we drop a file into it
        // no NUL: Dovecot sends NUL as 0x80 outside BINARY fetches, so the bytes would not round-trip
        byte[] garbage = "\u0001\u0002 this is not an RFC 822 message \u00ff\u00fe\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        dovecot.deliverRaw(folder, "1795000000.garbage.localhost", garbage);
        imap.count(folder);
        imap.append(folder, TestMessages.plain("a@example.com", "alice@localhost", "good after", "x"), new Flags(),
                new java.util.Date());
        try (RunningMailbridge mb = start("run", Map.of())) {
            List<JsonNode> records = byUid(settle(mb, 3));
            assertEquals(List.of("good before", "good after"), List.of(records.get(0).get("subject").asText(),
                    records.get(2).get("subject").asText()));
            JsonNode garbled = records.get(1);
            assertTrue(garbled.get("subject").isNull());
            assertEquals(0, garbled.get("headers").size());
            assertEquals("\u0001\u0002 this is not an RFC 822 message ÿþ\n\n", garbled.get("text").asText());
            assertEquals(List.of("message: no header section; all of it is the body, read as text/plain",
                    "message: 8-bit text with no charset is not UTF-8; read as windows-1252"), strings(garbled.get("warnings")));
            assertTrue(garbled.get("error").isNull());
            assertFalse(Files.exists(data.resolve("run/dead-letter")), "nothing dead-lettered");
            assertEquals(3, statistics(mb).delivered());
        }
    }

    /** Issue 11: each class of damaged message, delivered byte for byte, read through the real routes. */
    @Test
    void damagedMessagesBecomeRecordsWithTheTextAMailClientShowsAndSayWhatWasRepaired() throws Exception {
        imap.count(folder);
        List<DamagedMessages.Case> cases = DamagedMessages.all();
        for (int i = 0; i < cases.size(); i++) {
            dovecot.deliverRaw(folder, "179500000" + i + ".damaged" + i + ".localhost", cases.get(i).raw());
            imap.count(folder); // one at a time, so UIDs follow the list
        }
        try (RunningMailbridge mb = start("damaged", Map.of())) {
            List<JsonNode> records = byUid(settle(mb, cases.size()));
            assertEquals(cases.size(), records.size());
            for (int i = 0; i < cases.size(); i++) {
                DamagedMessages.Case c = cases.get(i);
                JsonNode r = records.get(i);
                assertEquals(c.subject(), r.get("subject").isNull() ? null : r.get("subject").asText(), c.name());
                assertEquals(c.text(), r.get("text").asText(), c.name());
                assertEquals(c.html(), r.get("html").isNull() ? null : r.get("html").asText(), c.name());
                assertEquals(c.warnings(), strings(r.get("warnings")), c.name());
                List<String> names = new java.util.ArrayList<>();
                r.get("attachments").forEach(a -> names.add(a.get("filename").asText()));
                assertEquals(c.attachmentNames(), names, c.name());
                assertTrue(r.get("error").isNull(), c.name() + ": " + r.get("error"));
            }
            assertFalse(Files.exists(data.resolve("damaged/dead-letter")), "nothing dead-lettered");
        }
    }

    private static List<JsonNode> byUid(List<JsonNode> records) {
        return records.stream().sorted(java.util.Comparator.comparingLong(r -> r.get("uid").asLong())).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
