package io.mailbridge.record.report;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;

/**
 * The fields of a {@code message/delivery-status} or {@code message/disposition-notification} part: groups
 * of header-style fields separated by blank lines, folded as headers are (RFC 3464 section 2.1). Each
 * group is read by Jakarta Mail's {@link InternetHeaders}, which stops at the blank line after it.
 */
final class StatusFields {

    /** At most this many groups are read: a real report has one per recipient, a hostile one could have millions. */
    static final int MAX_GROUPS = 1000;
    /** At most this much of a status part is read: real ones are a few KB. */
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]+");

    private final InternetHeaders fields;

    private StatusFields(InternetHeaders fields) {
        this.fields = fields;
    }

    /**
     * The non-empty groups in order, one more than {@link #MAX_GROUPS} at most (so the caller knows there were more);
     * UTF-8 field values are read as UTF-8 (RFC 6533 global reports).
     */
    static List<StatusFields> groups(byte[] content) throws MessagingException {
        ByteArrayInputStream in = new ByteArrayInputStream(blankWhitespaceLines(content));
        List<StatusFields> groups = new ArrayList<>();
        while (in.available() > 0 && groups.size() <= MAX_GROUPS) {
            InternetHeaders group = new InternetHeaders(in, true);
            if (group.getAllHeaders().hasMoreElements()) {
                groups.add(new StatusFields(group));
            }
        }
        return groups;
    }

    /**
     * A separator line of spaces or tabs only is a blank line: Jakarta Mail reads it as the continuation of the
     * field before it (mail.mime.ignorewhitespacelines is off), which would merge two recipient groups into one.
     */
    static byte[] blankWhitespaceLines(byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length);
        int lineStart = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                int end = i;
                boolean blank = true;
                for (int j = lineStart; j < end; j++) {
                    if (content[j] != ' ' && content[j] != '\t' && content[j] != '\r') {
                        blank = false;
                        break;
                    }
                }
                if (blank && end > lineStart) {
                    out.write('\r');
                } else {
                    out.write(content, lineStart, end - lineStart);
                }
                if (i < content.length) {
                    out.write('\n');
                }
                lineStart = i + 1;
            }
        }
        return out.toByteArray();
    }

    boolean has(String name) {
        return fields.getHeader(name) != null;
    }

    /**
     * The first field of that name unfolded and trimmed, or null. A fold and the indent after it become one
     * space: MTAs fold a long diagnostic with a deep indent ("User\r\n    unknown"), and "User unknown" is what it says.
     */
    String value(String name) {
        String[] values = fields.getHeader(name);
        if (values == null || values.length == 0) {
            return null;
        }
        String v = FOLD.matcher(values[0]).replaceAll(" ").trim();
        return v.isEmpty() ? null : v;
    }

    /** A typed field ({@code rfc822; bob@example.com}, {@code dns; mx.example.com}, {@code smtp; 550 ...}) without its type. */
    String untyped(String name) {
        String v = value(name);
        if (v == null) {
            return null;
        }
        int semicolon = v.indexOf(';');
        String rest = semicolon < 0 ? v : v.substring(semicolon + 1).trim();
        return rest.isEmpty() ? null : rest;
    }

    /** An address field without its type and without angle brackets around it. */
    String address(String name) {
        String v = untyped(name);
        if (v != null && v.length() > 2 && v.startsWith("<") && v.endsWith(">")) {
            return v.substring(1, v.length() - 1).trim();
        }
        return v;
    }

    /** A Message-ID with its angle brackets, as the record's {@code messageId} has it; null when the value holds none. */
    static String messageId(String value) {
        if (value == null) {
            return null;
        }
        String v = FOLD.matcher(value).replaceAll(" ").trim();
        int open = v.indexOf('<');
        int close = open < 0 ? -1 : v.indexOf('>', open);
        if (close > open + 1) {
            return v.substring(open, close + 1);
        }
        return v.isEmpty() || v.contains(" ") || v.contains("<") ? null : "<" + v + ">";
    }
}
