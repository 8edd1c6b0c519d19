package io.mailbridge.record;

import static io.mailbridge.record.RecordMapping.assertCase;
import static io.mailbridge.record.RecordMapping.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.mailbridge.support.ExtremeMessages;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, point 2: a header folded tens of thousands of times is read in time linear in its size
 * (Jakarta Mail's unfold took 11 s for 70,000 folds), and a value too long for a record is cut with a warning.
 */
class FoldedHeaderTest {

    /** Best of three, in milliseconds: the least disturbed by GC and the other build on the machine. */
    private long fastestMillis(byte[] raw) throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            map(raw);
            best = Math.min(best, System.nanoTime() - start);
        }
        return Math.max(1, best / 1_000_000);
    }

    @Test
    void tenTimesTheFoldsTakeAboutTenTimesTheTime() throws Exception {
        byte[] small = ExtremeMessages.foldedSubject(7_000);
        byte[] large = ExtremeMessages.foldedSubject(70_000);
        map(small); // JIT warm-up
        long smallMs = fastestMillis(small);
        long largeMs = fastestMillis(large);
        System.out.printf("7,000 folds (%d bytes): %d ms; 70,000 folds (%d bytes): %d ms%n", small.length, smallMs,
                large.length, largeMs);
        // quadratic would be 100x; 30x leaves room for a cold cache and a busy machine, 10 ms for timer granularity
        assertTrue(largeMs < 30 * Math.max(smallMs, 10), "7,000 folds " + smallMs + " ms, 70,000 folds " + largeMs + " ms");
        assertTrue(largeMs < 3_000, "70,000 folds took " + largeMs + " ms (Jakarta Mail's unfold: about 11,000)");
    }

    /** The Subject as a reader sees it: the field's lines joined, line breaks removed. */
    private static String unfoldedSubject(byte[] raw) {
        String message = new String(raw, StandardCharsets.US_ASCII);
        int start = message.indexOf("Subject: ") + "Subject: ".length();
        return message.substring(start, message.indexOf("\r\nMessage-ID:")).replace("\r\n", "");
    }

    @Test
    void aHugeSubjectKeepsItsStartAndTheRecordSaysItWasCut() throws Exception {
        byte[] raw = ExtremeMessages.foldedSubject(70_000);
        String whole = unfoldedSubject(raw);
        MessageRecord r = map(raw);
        assertEquals(whole.substring(0, HeaderValues.MAX_CHARS), r.subject());
        assertTrue(r.subject().startsWith(ExtremeMessages.FOLDED_SUBJECT_START + " section-0-lorem"), r.subject().substring(0, 80));
        assertEquals("<folded-70000@example.com>", r.messageId(), "the fields after it are still read");
        assertEquals("The body after a long subject.\n", r.text());
        MessageRecord.Header subject = r.headers().stream().filter(h -> h.name().equals("Subject")).findFirst().orElseThrow();
        assertEquals(HeaderValues.MAX_CHARS, subject.value().length());
        assertEquals(List.of(String.format(Locale.ROOT, "header Subject: %,d characters after unfolding, cut to the first 65,536",
                whole.length())), r.warnings());
    }

    @Test
    void aFoldedSubjectUnderTheCapIsReadWholeWithoutWarning() throws Exception {
        byte[] raw = ExtremeMessages.foldedSubject(1_000);
        MessageRecord r = map(raw);
        assertEquals(unfoldedSubject(raw), r.subject());
        assertEquals(List.of(), r.warnings());
    }
}
