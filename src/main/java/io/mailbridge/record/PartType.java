package io.mailbridge.record;

import java.util.Locale;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

/**
 * The content type a part is read as, parsed once. A {@code Content-Type} that cannot be parsed
 * ({@code text; charset=us-ascii}: no subtype) is read as {@code text/plain; charset=us-ascii}, as
 * RFC 2045 section 5.2 says; one whose type parses but whose parameters do not keeps its type and
 * loses its parameters. Both leave a warning. A digest entry without one is {@code message/rfc822}.
 *
 * @param base     lower-case {@code type/subtype} as read
 * @param charset  the charset parameter, or null
 * @param declared the header value when it had to be repaired (kept for attachment metadata), else null
 */
record PartType(String base, String charset, String declared) {

    static final String PLAIN = "text/plain";
    static final String MESSAGE = "message/rfc822";

    /**
     * As {@link #of(Part, Notes, String)}, but a digest entry with no Content-Type is message/rfc822:
     * RFC 2046 section 5.1.5 sets that default inside multipart/digest, and Jakarta Mail gives text/plain everywhere.
     */
    static PartType of(Part part, Notes notes, String where, boolean digestEntry) throws MessagingException {
        if (digestEntry && part.getHeader("Content-Type") == null) {
            return new PartType(MESSAGE, null, null);
        }
        return of(part, notes, where);
    }

    static PartType of(Part part, Notes notes, String where) throws MessagingException {
        String value = part.getContentType(); // Jakarta Mail's default text/plain when absent
        try {
            ContentType ct = new ContentType(value);
            return new PartType(ct.getBaseType().toLowerCase(Locale.ROOT), ct.getParameter("charset"), null);
        } catch (ParseException e) {
            return repaired(value, notes, where);
        }
    }

    private static PartType repaired(String value, Notes notes, String where) {
        int semicolon = value.indexOf(';');
        if (semicolon > 0) {
            try {
                String base = new ContentType(value.substring(0, semicolon)).getBaseType().toLowerCase(Locale.ROOT);
                notes.warn(where + ": the parameters of Content-Type \"" + value + "\" cannot be parsed; read as " + base
                        + " with no charset");
                return new PartType(base, null, null);
            } catch (ParseException e) {
                // no type/subtype either: the RFC 2045 default below
            }
        }
        notes.warn(where + ": Content-Type \"" + value + "\" cannot be parsed; read as text/plain; charset=us-ascii"
                + " (RFC 2045)");
        // charset left undeclared: US-ASCII text reads the same, and 8-bit bytes get the undeclared-charset rule
        return new PartType(PLAIN, null, value);
    }

    boolean is(String type) {
        return base.equals(type);
    }

    boolean isMultipart() {
        return base.startsWith("multipart/");
    }

    boolean isText() {
        return base.startsWith("text/");
    }

    /** What an attachment entry reports: the type as read, or the header as written when it was unreadable. */
    String forAttachment() {
        return declared != null ? declared : base;
    }
}
