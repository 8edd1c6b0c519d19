package io.mailbridge.record;

import java.io.IOException;
import java.io.InputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.SharedInputStream;

/**
 * The message inside a {@code message/rfc822} part (a forwarded message, a digest entry), parsed as the
 * top-level message is: by Jakarta Mail when its header section is well formed, else repaired by
 * {@link LenientMime} and named in a warning, so a damaged forward is read as a client reads it.
 */
final class EnclosedMessage {

    private EnclosedMessage() {
    }

    /**
     * @param content the part's content, transfer-decoded
     * @param where   where the enclosed message is, for warnings ("part 1.2")
     */
    static MimeMessage parse(InputStream content, Session session, Notes notes, String where)
            throws MessagingException, IOException {
        // a part of an in-memory or spooled message is a view into it: parsed in place, not copied
        InputStream source = content instanceof SharedInputStream ? content : new UnsyncSharedBytes(content.readAllBytes());
        HeaderScan scan = HeaderScan.of(source, false);
        if (scan.wellFormed()) {
            return new MimeMessage(session, source);
        }
        LenientMime.warn(where, scan, notes);
        return LenientMime.message(session, source, scan);
    }
}
