package io.mailbridge.record;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.SharedInputStream;

/**
 * The slow path for damaged structure, taken only when {@link HeaderScan} or a check of Jakarta Mail's
 * result finds damage: messages and parts built from the header lines that really are header fields,
 * and multipart bodies split line by line on their boundary. Jakarta Mail reads every line up to a
 * blank one as a header, so a header section with no blank line after it swallows the body, and in a
 * multipart the parser skips past the next boundary looking for that blank line. Its line reader also
 * ends a line at a lone CR, so header bytes holding one are given to it with that CR as a space.
 */
final class LenientMime {

    private LenientMime() {
    }

    /** A message whose header section is as the scan found it, and whose body starts where the scan says. */
    static MimeMessage message(Session session, InputStream source, HeaderScan scan) throws MessagingException, IOException {
        SharedInputStream shared = (SharedInputStream) source;
        return new RepairedMessage(session, headers(shared, scan), shared.newStream(scan.bodyStart, -1));
    }

    /** Names each repair of a header section in a warning; where is "message" or "part 1.2". */
    static void warn(String where, HeaderScan scan, Notes notes) {
        switch (scan.shape) {
            case NO_HEADERS -> notes.warn(where + ": no header section; all of it is the body, read as text/plain");
            case UNTERMINATED -> notes.warn(where + ": the header section is not ended by a blank line; the body starts at \""
                    + scan.firstBodyLine + "\"");
            case WELL_FORMED -> {
                // nothing to say about the shape
            }
        }
        if (scan.bareCrLine != null) {
            notes.warn(where + ": a CR not followed by LF inside the header line \"" + scan.bareCrLine.replace("\r", "\\r")
                    + "\" is read as a space, not as a line end");
        }
    }

    /** True when Jakarta Mail's parse of a multipart lost something: no closing boundary, or a part whose header lines are not all header fields. */
    static boolean needsRepair(Multipart mp) throws MessagingException {
        if (mp instanceof MimeMultipart mm && !mm.isComplete()) {
            return true;
        }
        for (int i = 0; i < mp.getCount(); i++) {
            if (mp.getBodyPart(i) instanceof MimePart part) {
                Enumeration<String> lines = part.getAllHeaderLines();
                while (lines.hasMoreElements()) {
                    if (!HeaderScan.isField(lines.nextElement())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The parts of a multipart body split on its boundary, each part's header section found by {@link HeaderScan}. */
    static List<BodyPart> split(Part multipart, String boundary, Notes notes, String path) throws MessagingException, IOException {
        InputStream raw = multipart instanceof MimeBodyPart p ? p.getRawInputStream()
                : ((MimeMessage) multipart).getRawInputStream();
        SharedInputStream shared = raw instanceof SharedInputStream s ? s : new UnsyncSharedBytes(raw.readAllBytes());
        List<long[]> regions = regions(shared, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1), notes, path);
        List<BodyPart> parts = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            InputStream region = shared.newStream(regions.get(i)[0], regions.get(i)[1]);
            HeaderScan scan = HeaderScan.of(region, false);
            if (scan.wellFormed()) {
                parts.add(new MimeBodyPart(region));
            } else {
                warn(BodyReader.where(BodyReader.childPath(path, i + 1)), scan, notes);
                SharedInputStream part = (SharedInputStream) region;
                parts.add(new RepairedPart(headers(part, scan), part.newStream(scan.bodyStart, -1)));
            }
        }
        return parts;
    }

    /** Byte ranges of the parts: after a delimiter line, up to the line break before the next one. */
    private static List<long[]> regions(SharedInputStream shared, byte[] dash, Notes notes, String path) throws IOException {
        List<long[]> regions = new ArrayList<>();
        long partStart = -1;
        long lastBreak = -1;
        try (InputStream in = new BufferedInputStream(shared.newStream(0, -1), 65536)) {
            Lines lines = new Lines(in);
            while (lines.next()) {
                int kind = lines.delimiter(dash);
                if (kind != Lines.NONE) {
                    if (partStart >= 0) {
                        regions.add(new long[] { partStart, Math.max(partStart, lastBreak) });
                    }
                    if (kind == Lines.CLOSE) {
                        return regions;
                    }
                    partStart = lines.next;
                }
                lastBreak = lines.breakAt;
            }
            if (partStart >= 0) {
                regions.add(new long[] { partStart, lines.next });
                notes.warn(BodyReader.where(path) + ": no closing boundary; the last part runs to the end");
            }
        }
        return regions;
    }

    private static InternetHeaders headers(SharedInputStream s, HeaderScan scan) throws MessagingException, IOException {
        try (InputStream in = s.newStream(scan.headerStart, scan.headerEnd)) {
            if (scan.bareCrLine == null) {
                return new InternetHeaders(in);
            }
            // Jakarta Mail's line reader ends a line at a lone CR; a space keeps the field whole
            return new InternetHeaders(new ByteArrayInputStream(loneCrAsSpace(in.readAllBytes())));
        }
    }

    private static byte[] loneCrAsSpace(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' && (i + 1 == b.length || b[i + 1] != '\n')) {
                b[i] = ' ';
            }
        }
        return b;
    }

    /** A line reader that keeps byte offsets; lines end in CRLF, LF or a lone CR. */
    private static final class Lines {
        static final int NONE = 0;
        static final int DELIMITER = 1;
        static final int CLOSE = 2;

        private final InputStream in;
        private final byte[] head = new byte[1000]; // a boundary line is at most 70 characters and some white space
        private int headLength;
        private boolean longLine;
        private long offset;
        /** where the current line's break starts, and where the next line starts */
        long breakAt;
        long next;

        Lines(InputStream in) {
            this.in = in;
        }

        boolean next() throws IOException {
            long start = offset;
            headLength = 0;
            longLine = false;
            int c;
            while ((c = read()) != -1 && c != '\n' && c != '\r') {
                if (headLength < head.length) {
                    head[headLength++] = (byte) c;
                } else {
                    longLine = true;
                }
            }
            if (c == -1 && offset == start) {
                return false;
            }
            breakAt = c == -1 ? offset : offset - 1;
            if (c == '\r') {
                in.mark(1);
                if (in.read() == '\n') {
                    offset++;
                } else {
                    in.reset();
                }
            }
            next = offset;
            return true;
        }

        private int read() throws IOException {
            int c = in.read();
            if (c != -1) {
                offset++;
            }
            return c;
        }

        /** Whether the line is "--boundary" (DELIMITER) or "--boundary--" (CLOSE), white space after it allowed. */
        int delimiter(byte[] dash) {
            if (longLine || headLength < dash.length) {
                return NONE;
            }
            for (int i = 0; i < dash.length; i++) {
                if (head[i] != dash[i]) {
                    return NONE;
                }
            }
            int i = dash.length;
            int kind = DELIMITER;
            if (i + 1 < headLength && head[i] == '-' && head[i + 1] == '-') {
                kind = CLOSE;
                i += 2;
            }
            for (; i < headLength; i++) {
                if (head[i] != ' ' && head[i] != '\t') {
                    return NONE;
                }
            }
            return kind;
        }
    }

    private static final class RepairedMessage extends MimeMessage {
        RepairedMessage(Session session, InternetHeaders headers, InputStream content) {
            super(session);
            this.headers = headers;
            this.contentStream = content;
            this.modified = false;
        }
    }

    private static final class RepairedPart extends MimeBodyPart {
        RepairedPart(InternetHeaders headers, InputStream content) {
            this.headers = headers;
            this.contentStream = content;
        }
    }
}
