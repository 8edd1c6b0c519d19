package io.mailbridge.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where the header section of a message or MIME part ends, judged line by line: header lines run
 * until a blank line (well formed) or until the first line that is not a header field (then the
 * body starts at that line). Also spots an mbox envelope line ({@code From sender date}) before the
 * headers. Lines end in CRLF or LF. A lone CR (not before an LF) ends a line only in bytes with CR
 * line ends (old Mac files); elsewhere it is part of the header line, as IMAP servers read it
 * (Dovecot's ENVELOPE keeps the fields after {@code Subject: bare\rcr inside}), while Jakarta Mail's
 * line reader would end the line there and lose the header section. Offsets are relative to the start
 * of the scanned bytes.
 */
final class HeaderScan {

    enum Shape {
        /** header lines, then a blank line (or the end): Jakarta Mail parses this as is */
        WELL_FORMED,
        /** header lines, then a line that is not a header field, with no blank line between */
        UNTERMINATED,
        /** the first line is not a header field: there is no header section */
        NO_HEADERS
    }

    /** How much of a stream that is not in memory is read to judge its header section. */
    static final int WINDOW = 256 * 1024;

    private static final byte[] ENVELOPE = "From ".getBytes(StandardCharsets.US_ASCII);

    final Shape shape;
    /** the mbox envelope line that was skipped, or null */
    final String envelope;
    final int headerStart;
    final int headerEnd;
    final int bodyStart;
    /** the line the body starts with when the header section was not ended by a blank line */
    final String firstBodyLine;
    /** the first header line holding a lone CR, or null; the header section must be read with it as a space */
    final String bareCrLine;

    private HeaderScan(Shape shape, String envelope, int headerStart, int headerEnd, int bodyStart,
            String firstBodyLine, String bareCrLine) {
        this.shape = shape;
        this.envelope = envelope;
        this.headerStart = headerStart;
        this.headerEnd = headerEnd;
        this.bodyStart = bodyStart;
        this.firstBodyLine = firstBodyLine;
        this.bareCrLine = bareCrLine;
    }

    /** True when Jakarta Mail can parse the bytes as they are. */
    boolean wellFormed() {
        return shape == Shape.WELL_FORMED && envelope == null && bareCrLine == null;
    }

    /** Scans a stream from its current position without consuming it (it must support mark/reset). */
    static HeaderScan of(InputStream in, boolean envelopeAllowed) throws IOException {
        if (in instanceof UnsyncSharedBytes bytes) {
            return bytes.scanHeaders(envelopeAllowed); // no copy
        }
        in.mark(WINDOW);
        byte[] window = in.readNBytes(WINDOW);
        in.reset();
        return scan(window, 0, window.length, envelopeAllowed);
    }

    static HeaderScan scan(byte[] b, int off, int len, boolean envelopeAllowed) {
        int end = off + len;
        Lines lines = new Lines(b, end, crEndsLines(b, off, end));
        int p = off;
        String envelope = null;
        if (envelopeAllowed && startsWith(b, p, end, ENVELOPE) && !isField(b, p, lines.end(p))) {
            int eol = lines.end(p); // "From " but not the obsolete "From : x" header field
            envelope = text(b, p, eol);
            p = lines.next(eol);
        }
        int headerStart = p;
        boolean sawField = false;
        String bareCrLine = null;
        while (p < end) {
            int eol = lines.end(p);
            if (eol == p) { // the blank line that ends the header section
                return new HeaderScan(Shape.WELL_FORMED, envelope, headerStart - off, p - off,
                        lines.next(eol) - off, null, bareCrLine);
            }
            boolean continuation = b[p] == ' ' || b[p] == '\t';
            if (continuation ? !sawField : !isField(b, p, eol)) {
                return new HeaderScan(sawField ? Shape.UNTERMINATED : Shape.NO_HEADERS, envelope, headerStart - off,
                        p - off, p - off, text(b, p, eol), bareCrLine);
            }
            if (bareCrLine == null && lines.bareCr) {
                bareCrLine = text(b, p, eol);
            }
            sawField = true;
            p = lines.next(eol);
        }
        return new HeaderScan(Shape.WELL_FORMED, envelope, headerStart - off, end - off, end - off, null, bareCrLine);
    }

    /**
     * True for bytes with CR line ends: no LF before the first blank line written as CR CR (or none
     * at all). A message with CRLF or LF line ends has its first LF at the end of its first line.
     */
    private static boolean crEndsLines(byte[] b, int p, int end) {
        for (; p < end; p++) {
            if (b[p] == '\n') {
                return false;
            }
            if (b[p] == '\r' && p + 1 < end && b[p + 1] == '\r') {
                return true;
            }
        }
        return true;
    }

    /** field-name = 1*(printable US-ASCII except ':'), then ':' (white space before it is obsolete but read). */
    private static boolean isField(byte[] b, int from, int eol) {
        int i = from;
        while (i < eol && b[i] > 32 && b[i] < 127 && b[i] != ':') {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < eol && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < eol && b[i] == ':';
    }

    /** Same test on a header line as Jakarta Mail stores it (for parts its multipart parser made). */
    static boolean isField(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && line.charAt(i) > 32 && line.charAt(i) < 127 && line.charAt(i) != ':') {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i < n && line.charAt(i) == ':';
    }

    private static boolean startsWith(byte[] b, int p, int end, byte[] prefix) {
        if (end - p < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[p + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Finds line ends: LF or CRLF, and a lone CR only when crEndsLines. */
    private static final class Lines {
        private final byte[] b;
        private final int end;
        private final boolean crEndsLines;
        /** whether the last line found by {@link #end} holds a lone CR that does not end it */
        boolean bareCr;

        Lines(byte[] b, int end, boolean crEndsLines) {
            this.b = b;
            this.end = end;
            this.crEndsLines = crEndsLines;
        }

        /** Index of the CR or LF that ends the line starting at p, or end. */
        int end(int p) {
            bareCr = false;
            for (; p < end; p++) {
                if (b[p] == '\n') {
                    return p;
                }
                if (b[p] == '\r') {
                    if (crEndsLines || p + 1 == end || b[p + 1] == '\n') {
                        return p;
                    }
                    bareCr = true;
                }
            }
            return p;
        }

        /** Index after the line break at eol (CRLF, LF or a lone CR). */
        int next(int eol) {
            if (eol >= end) {
                return end;
            }
            return b[eol] == '\r' && eol + 1 < end && b[eol + 1] == '\n' ? eol + 2 : eol + 1;
        }
    }

    private static String text(byte[] b, int from, int to) {
        int n = Math.min(to - from, 80);
        return new String(b, from, n, StandardCharsets.UTF_8) + (n < to - from ? "…" : "");
    }
}
