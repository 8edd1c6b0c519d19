package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
    void bytesThatAreNotAMessageGoToTheDeadLetterEndpointRawAndThePollGoesOn() throws Exception {
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
            List<JsonNode> records = settle(mb, 2);
            assertEquals(List.of("good after", "good before"), subjects(records));
            Path deadLetters = data.resolve("run/dead-letter");
            List<Path> eml;
            try (var s = Files.walk(deadLetters)) {
                eml = s.filter(p -> p.toString().endsWith(".eml")).toList();
            }
            assertEquals(1, eml.size(), "one dead letter");
            assertArrayEquals(garbage, Files.readAllBytes(eml.get(0)), "dead letter holds the raw bytes");
            String error = Files.readString(Path.of(eml.get(0).toString().replace(".eml", ".error")));
            assertTrue(error.contains("not an RFC 5322 message"), error);
            assertEquals(3, statistics(mb).delivered(), "the dead-lettered message counts as handled: the checkpoint moved past it");
        }
    }
}
