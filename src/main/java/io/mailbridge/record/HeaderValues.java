package io.mailbridge.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mailbridge.record.MessageRecord.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Header field values as the record holds them: unfolded and trimmed, and at most {@link #MAX_CHARS}
 * characters each. Jakarta Mail's {@code MimeUtility.unfold} copies the rest of the value at every
 * fold, so a Subject folded 70,000 times took 36 s to map (unfolded twice, once in
 * {@code getSubject()}); this unfolds in one pass and stops at the cap. A value that is cut is named
 * in a warning, once per field name.
 */
final class HeaderValues {

    /** Far above real values (a long References or an ARC seal is a few KB), far below a broker's message size. */
    static final int MAX_CHARS = 65_536;

    private final MimeMessage message;
    private final Notes notes;
    private final Set<String> cut = new HashSet<>();

    HeaderValues(MimeMessage message, Notes notes) {
        this.message = message;
        this.notes = notes;
    }

    /** The first field of that name, or null. */
    String first(String name) {
        return value(name, null);
    }

    /** All fields of that name joined by a space, or null. */
    String joined(String name) {
        return value(name, " ");
    }

    private String value(String name, String delimiter) {
        try {
            String raw = message.getHeader(name, delimiter);
            return raw == null ? null : capped(name, raw);
        } catch (MessagingException e) {
            return null;
        }
    }

    /** Every field in message order. */
    List<Header> all() {
        List<Header> out = new ArrayList<>();
        try {
            for (jakarta.mail.Header h : Collections.list(message.getAllHeaders())) {
                out.add(new Header(h.getName(), capped(h.getName(), h.getValue() == null ? "" : h.getValue())));
            }
        } catch (MessagingException e) {
            // headers were parsed in the constructor; nothing can fail here
        }
        return out;
    }

    private String capped(String name, String raw) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_CHARS + 1));
        unfold(raw, out, MAX_CHARS + 1); // one more than kept, to know whether it was cut
        String value = out.toString().trim();
        if (value.length() <= MAX_CHARS) {
            return value;
        }
        if (cut.add(name.toLowerCase(Locale.ROOT))) {
            notes.warn(String.format(Locale.ROOT, "header %s: %,d characters after unfolding, cut to the first %,d",
                    name, unfoldedLength(raw), MAX_CHARS));
        }
        return value.substring(0, MAX_CHARS);
    }

    /** Length of the unfolded value, for the warning; counts without building it. */
    private static int unfoldedLength(String raw) {
        return unfold(raw, null, Integer.MAX_VALUE);
    }

    /**
     * Jakarta Mail's unfolding, in one pass: a line break (CRLF, LF or CR) followed by a space or tab,
     * or at the end, is removed; one after a backslash loses the backslash and stays; any other stays.
     * Appends at most {@code limit} characters to {@code out} (or only counts them when out is null);
     * returns how many it produced.
     */
    static int unfold(String s, StringBuilder out, int limit) {
        int n = s.length();
        int produced = 0;
        int segment = 0; // Jakarta looks back for a backslash only inside the text after the last break
        int i = 0;
        while (i < n && produced < limit) {
            int lineBreak = i;
            while (lineBreak < n && s.charAt(lineBreak) != '\r' && s.charAt(lineBreak) != '\n') {
                lineBreak++;
            }
            int run = emitRange(out, s, i, lineBreak, produced, limit);
            produced += run;
            if (lineBreak == n || run < lineBreak - i) {
                break; // the end, or the limit cut this line
            }
            int next = s.charAt(lineBreak) == '\r' && lineBreak + 1 < n && s.charAt(lineBreak + 1) == '\n'
                    ? lineBreak + 2 : lineBreak + 1;
            if (lineBreak > segment && s.charAt(lineBreak - 1) == '\\') {
                produced = unemitLast(out, produced); // the backslash escaped the line break: it goes, the break stays
                produced += emitRange(out, s, lineBreak, next, produced, limit);
            } else if (next < n && s.charAt(next) != ' ' && s.charAt(next) != '\t') {
                produced += emitRange(out, s, lineBreak, next, produced, limit); // not a continuation: kept
            } // else a fold (or a break at the end): removed
            i = next;
            segment = next;
        }
        return produced;
    }

    private static int emitRange(StringBuilder out, String s, int from, int to, int produced, int limit) {
        int n = Math.min(to - from, limit - produced);
        if (out != null) {
            out.append(s, from, from + n);
        }
        return n;
    }

    private static int unemitLast(StringBuilder out, int produced) {
        if (out != null) {
            out.setLength(out.length() - 1);
        }
        return produced - 1;
    }
}
