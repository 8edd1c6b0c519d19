package io.mailbridge.support;

import java.nio.charset.StandardCharsets;

/**
 * Hostile or extreme messages of a chosen size (issue 23), generated so a test can try the same shape
 * at two sizes and compare. Written byte for byte, CRLF line ends.
 */
public final class ExtremeMessages {

    private ExtremeMessages() {
    }

    /** The start of the subject of {@link #foldedSubject}: what a reader of the record must still see. */
    public static final String FOLDED_SUBJECT_START = "Quarterly report";

    /**
     * A message whose Subject is folded {@code folds} times: every continuation line is a word of about
     * 50 characters, as a mailer that folds a very long value writes it (about 55 bytes per fold).
     */
    public static byte[] foldedSubject(int folds) {
        StringBuilder s = new StringBuilder(folds * 56 + 300);
        s.append("From: Reports <reports@example.com>\r\n");
        s.append("To: alice@localhost\r\n");
        s.append("Subject: ").append(FOLDED_SUBJECT_START);
        for (int i = 0; i < folds; i++) {
            s.append("\r\n section-").append(i).append("-lorem-ipsum-dolor-sit-amet-consectetur");
        }
        s.append("\r\nMessage-ID: <folded-").append(folds).append("@example.com>\r\n");
        s.append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        s.append("The body after a long subject.\r\n");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A message of {@code depth} nested multipart/mixed levels, each holding the next level and, in the
     * innermost one, a text/plain part saying "deep text".
     */
    public static byte[] nestedMultiparts(int depth) {
        StringBuilder s = new StringBuilder();
        s.append("From: a@example.com\r\nTo: alice@localhost\r\nSubject: nested ").append(depth)
                .append("\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int level = 0; level < depth; level++) {
            s.append("--b").append(level).append("\r\n");
            if (level + 1 < depth) {
                s.append("Content-Type: multipart/mixed; boundary=\"b").append(level + 1).append("\"\r\n\r\n");
            } else {
                s.append("Content-Type: text/plain; charset=utf-8\r\n\r\ndeep text\r\n");
            }
        }
        for (int level = depth - 1; level >= 0; level--) {
            s.append("--b").append(level).append("--\r\n");
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A message with a text/plain part ("hello") and then {@code attachments} tiny attachments named
     * f0.bin, f1.bin...: about 107 bytes a part, so 100,000 parts are 10.7 MB, above the 4 MiB spool limit.
     */
    public static byte[] manyParts(int attachments) {
        StringBuilder s = new StringBuilder(attachments * 110 + 300);
        s.append("From: a@example.com\r\nTo: alice@localhost\r\nSubject: ").append(attachments)
                .append(" attachments\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        s.append("--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
        for (int i = 0; i < attachments; i++) {
            s.append("--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f")
                    .append(i).append(".bin\"\r\n\r\nxx\r\n");
        }
        s.append("--b--\r\n");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
