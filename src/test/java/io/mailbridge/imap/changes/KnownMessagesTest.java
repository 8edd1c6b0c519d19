package io.mailbridge.imap.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The change state's text form, and the change event as a consumer reads it. */
class KnownMessagesTest {

    @Test
    void tenThousandMessagesStoreAsOneLinePerFlagSetAndReadBackTheSame() {
        KnownMessages known = new KnownMessages();
        for (long uid = 1; uid <= 10_000; uid++) {
            List<String> flags = uid % 100 == 0 ? List.of("\\Flagged", "\\Seen", "\\Recent") : uid > 9_000 ? List.of() : List.of("\\Seen");
            known.put(uid, KnownMessages.canonical(flags));
        }
        known.remove(5_000);
        String text = known.text();
        // 100 flagged messages interrupt the \\Seen run 100 times: ~15 bytes each, not 10,000 entries
        assertEquals(3, text.lines().count(), text);
        assertTrue(text.length() < 2_000, text.length() + " characters: " + text);
        KnownMessages read = KnownMessages.parse(text);
        assertEquals(9_999, read.size());
        assertEquals("\\Flagged \\Seen", read.flagsOf(100), "sorted, \\Recent (a session's view) left out");
        assertEquals("", read.flagsOf(9_999));
        assertEquals("\\Seen", read.flagsOf(1));
        assertFalse(read.contains(5_000));
        assertNull(read.flagsOf(10_001));
        assertEquals(text, read.text());
    }

    @Test
    void keywordsKeepTheirSpellingAndOrderDoesNotMakeAChange() {
        assertEquals(KnownMessages.canonical(List.of("$Invoice", "\\Seen")), KnownMessages.canonical(List.of("\\Seen", "$Invoice")));
        assertEquals(List.of("$Invoice", "\\Seen"), KnownMessages.list(KnownMessages.canonical(List.of("\\Seen", "$Invoice"))));
        assertEquals(List.of(), KnownMessages.list(KnownMessages.canonical(List.of("\\Recent"))));
    }

    @Test
    void aChangeEventCarriesItsRecordsKeyAndAnIdOfItsOwn() throws Exception {
        Instant seen = Instant.parse("2026-12-07T10:15:30.123Z");
        ChangeEvent flags = new ChangeEvent("ops", "INBOX", 7, 42, ChangeEvent.Kind.FLAGS, List.of("\\Seen"), 1234L, seen);
        JsonNode json = new ObjectMapper().readTree(flags.json());
        assertEquals("mailbridge.change/1", json.get("schema").asText());
        assertEquals("ops/INBOX/7/42", json.get("key").asText());
        assertEquals(7, json.get("uidValidity").asLong());
        assertEquals(42, json.get("uid").asLong());
        assertEquals("flags", json.get("change").asText());
        assertEquals("[\"\\\\Seen\"]", json.get("flags").toString());
        assertEquals(1234, json.get("modseq").asLong());
        assertEquals("2026-12-07T10:15:30.123Z", json.get("seenAt").asText());
        assertEquals("ops/INBOX/7/42.flags.1234", flags.eventId());

        ChangeEvent scanned = new ChangeEvent("ops", "INBOX", 7, 42, ChangeEvent.Kind.FLAGS, List.of(), null, seen);
        assertEquals("ops/INBOX/7/42.flags.t" + seen.toEpochMilli(), scanned.eventId(), "without CONDSTORE: the time seen");
        assertTrue(new ObjectMapper().readTree(scanned.json()).get("modseq").isNull());
        ChangeEvent expunged = new ChangeEvent("ops", "INBOX", 7, 42, ChangeEvent.Kind.EXPUNGED, null, 1300L, seen);
        assertEquals("ops/INBOX/7/42.expunged", expunged.eventId());
        assertTrue(new ObjectMapper().readTree(expunged.json()).get("flags").isNull());
    }
}
