package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;

/** The record's header values must read exactly as Jakarta Mail's unfold made them, only in linear time. */
class HeaderValuesTest {

    private static final char[] ALPHABET = {'a', 'b', '\\', '\r', '\n', ' ', '\t'};

    private static String unfold(String s, int limit) {
        StringBuilder out = new StringBuilder();
        int produced = HeaderValues.unfold(s, out, limit);
        assertEquals(out.length(), produced, "returned count for " + escape(s));
        return out.toString();
    }

    @Test
    void unfoldsExactlyAsJakartaMailDoes() {
        Random random = new Random(23);
        for (int i = 0; i < 50_000; i++) {
            char[] chars = new char[random.nextInt(14)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            String s = new String(chars);
            assertEquals(MimeUtility.unfold(s), unfold(s, Integer.MAX_VALUE), escape(s));
        }
    }

    @Test
    void aLimitCutsTheUnfoldedValueAndCountingWithoutOutputAgrees() {
        String folded = "Subject line\r\n continued\\\r\n kept\r\n\tend\r\n";
        String whole = MimeUtility.unfold(folded);
        for (int limit = 0; limit <= whole.length() + 1; limit++) {
            assertEquals(whole.substring(0, Math.min(limit, whole.length())), unfold(folded, limit), "limit " + limit);
        }
        assertEquals(whole.length(), HeaderValues.unfold(folded, null, Integer.MAX_VALUE));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
