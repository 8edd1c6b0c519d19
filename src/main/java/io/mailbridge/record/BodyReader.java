package io.mailbridge.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.mailbridge.record.MessageRecord.Attachment;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

/**
 * The body of a record: {@code text}, {@code html} and {@code attachments}, chosen as a mail client
 * shows them. Inline text/plain parts are the text, joined in order (one per multipart/alternative);
 * one with a filename is listed as an attachment too (in a multipart, a named one is inline only when
 * its Content-Disposition says so). The first inline text/html is the html; with
 * no text/plain at all, the text is rendered from it. Every other leaf is an attachment.
 * A message/rfc822 that is a message's whole body (a forward) or a digest entry is listed as an
 * attachment and read in place as well, as a client shows it: its parts join text, html and attachments.
 */
final class BodyReader {

    private static final int MAX_DEPTH = 20;

    String text;
    String html;
    final List<Attachment> attachments = new ArrayList<>();

    private final Session session;
    private final Notes notes;
    private final List<String> texts = new ArrayList<>(1);
    private final List<String> textPaths = new ArrayList<>(1);
    /** why text is null if it ends up null: one line per enclosed message or digest that was read */
    private final List<String> noTextReasons = new ArrayList<>(0);

    private BodyReader(Session session, Notes notes) {
        this.session = session;
        this.notes = notes;
    }

    /** @param session the mapper's, so enclosed messages are parsed with its MIME settings */
    static BodyReader read(MimeMessage message, Session session, Notes notes) {
        BodyReader body = new BodyReader(session, notes);
        body.walk(message, "", 0, null, false);
        body.finish();
        return body;
    }

    /** "message" for the top level, else "part 1.2" (IMAP part numbers). */
    static String where(String path) {
        return path.isEmpty() ? "message" : "part " + path;
    }

    static String childPath(String parent, int index) {
        return parent.isEmpty() ? String.valueOf(index) : parent + "." + index;
    }

    /** IMAP numbers the body of an enclosed message that is not a multipart as its part 1 (RFC 3501 6.4.5). */
    private static String singleBodyPath(Part part, String path) {
        return part instanceof MimeMessage && !path.isEmpty() ? childPath(path, 1) : path;
    }

    /** One multipart/alternative: only its first text/plain is text, the others are alternatives to it. */
    private static final class Alternative {
        boolean textTaken;
    }

    /** @param digestEntry the part is a child of a multipart/digest, where the default type is message/rfc822 */
    private void walk(Part part, String path, int depth, Alternative alternative, boolean digestEntry) {
        try {
            PartType type = PartType.of(part, notes, where(path), digestEntry);
            boolean enclosed = type.is(PartType.MESSAGE) && (digestEntry || part instanceof MimeMessage);
            if ((type.isMultipart() || enclosed) && depth >= MAX_DEPTH) {
                // each level re-reads the bytes below it: deeper nesting is a hostile shape, not mail
                notes.warn(where(path) + ": MIME nesting deeper than " + MAX_DEPTH + " levels; this " + type.base()
                        + " is listed as one attachment and the parts inside it are not read");
            } else if (type.isMultipart() && walkChildren(part, type, path, depth, alternative)) {
                return;
            } else if (enclosed) {
                readEnclosed(part, type, path, depth);
                return;
            }
            leaf(part, type, singleBodyPath(part, path), alternative);
        } catch (MessagingException | IOException | RuntimeException e) {
            notes.error("MIME structure: " + e.getMessage());
        }
    }

    /** Walks the parts of a multipart; false when its content is not a Multipart after all (then it is a leaf). */
    private boolean walkChildren(Part part, PartType type, String path, int depth, Alternative alternative)
            throws MessagingException, IOException {
        List<? extends Part> children;
        try {
            children = children(part, path);
        } catch (MessagingException e) {
            // e.g. no boundary line at all: what a client shows is the content as text
            notes.warn(where(path) + ": the " + type.base() + " body cannot be split into parts ("
                    + e.getMessage() + "); read as text/plain");
            leaf(part, new PartType(PartType.PLAIN, type.charset(), type.base()), path, alternative);
            return true;
        }
        if (children == null) {
            return false;
        }
        boolean digest = type.is("multipart/digest");
        if (digest) {
            noTextReasons.add(where(path) + ": the " + children.size() + " entries of the multipart/digest have no"
                    + " inline text/plain or text/html part; text is null (the entries are in attachments)");
        }
        Alternative group = type.is("multipart/alternative") ? new Alternative() : alternative;
        for (int i = 0; i < children.size(); i++) {
            walk(children.get(i), childPath(path, i + 1), depth + 1, group, digest);
        }
        return true;
    }

    /**
     * A forwarded message or digest entry: listed as an attachment (its bytes stay available), then its
     * own parts read in place, numbered below it as IMAP numbers them (a top-level one is part 1).
     */
    private void readEnclosed(Part part, PartType type, String path, int depth) throws MessagingException, IOException {
        attachments.add(attachment(part, type, path, filename(part), disposition(part)));
        String at = path.isEmpty() ? "1" : singleBodyPath(part, path);
        if (part instanceof MimeMessage) { // a digest entry is covered by its digest's reason
            noTextReasons.add(where(path) + ": the enclosed message/rfc822 has no inline text/plain or text/html part;"
                    + " text is null (the message is in attachments)");
        }
        MimeMessage enclosed = EnclosedMessage.parse(content(part, path), session, notes, where(at));
        walk(enclosed, at, depth + 1, null, false);
    }

    /** The parts as Jakarta Mail parsed them, or split again by {@link LenientMime} when that parse lost some. */
    private List<? extends Part> children(Part part, String path) throws MessagingException, IOException {
        if (!(part.getContent() instanceof Multipart mp)) {
            return null;
        }
        if (LenientMime.needsRepair(mp)) {
            String boundary = new ContentType(part.getContentType()).getParameter("boundary");
            if (boundary != null) {
                return LenientMime.split(part, boundary, notes, path);
            }
        }
        List<BodyPart> children = new ArrayList<>(mp.getCount());
        for (int i = 0; i < mp.getCount(); i++) {
            children.add(mp.getBodyPart(i));
        }
        return children;
    }

    private void leaf(Part part, PartType type, String path, Alternative alternative) throws MessagingException {
        String disposition = disposition(part);
        boolean attachment = Part.ATTACHMENT.equals(disposition);
        String filename = filename(part);
        boolean named = filename != null;
        boolean whole = part instanceof MimeMessage; // the whole body of the message or of an enclosed one
        // a named text part is body text when marked inline, or when it is the whole message
        boolean inlineText = type.is(PartType.PLAIN) && !attachment
                && (!named || whole || Part.INLINE.equals(disposition));
        if (inlineText && (alternative == null || !alternative.textTaken)) {
            addText(text(part, type, path), path);
            if (alternative != null) {
                alternative.textTaken = true;
            }
            if (named) {
                attachments.add(attachment(part, type, path, filename, disposition));
            }
        } else if (!attachment && !named && type.is("text/html") && html == null) {
            html = text(part, type, path);
        } else if (!whole || attachment || named) {
            attachments.add(attachment(part, type, path, filename, disposition));
        } else if (type.isText()) {
            addText(text(part, type, path), path); // e.g. text/enriched as the only body
        } else {
            attachments.add(attachment(part, type, path, filename, disposition));
        }
    }

    private void addText(String partText, String path) {
        if (partText != null) {
            texts.add(partText);
            textPaths.add(where(path));
        }
    }

    private void finish() {
        if (texts.size() == 1) {
            text = texts.get(0);
        } else if (texts.size() > 1) {
            StringBuilder joined = new StringBuilder();
            for (String t : texts) {
                if (joined.length() > 0 && joined.charAt(joined.length() - 1) != '\n') {
                    joined.append('\n');
                }
                joined.append(t);
            }
            text = joined.toString();
            notes.warn("text: " + texts.size() + " inline text/plain parts joined in order (" + String.join(", ", textPaths) + ")");
        } else if (html != null) {
            text = HtmlText.render(html);
            notes.warn("text: rendered from the text/html part; the message has no text/plain part");
        } else {
            noTextReasons.forEach(notes::warn);
        }
    }

    private static String disposition(Part part) throws MessagingException {
        String disposition = part.getDisposition();
        return disposition == null ? null : disposition.toLowerCase(Locale.ROOT);
    }

    /**
     * The part's content, transfer-decoded. Base64 is decoded here: Jakarta Mail leaves a message/rfc822
     * part's content encoded (mail.mime.allowencodedmessages), yet some clients send forwards in base64.
     */
    private InputStream content(Part part, String path) throws MessagingException, IOException {
        return rawBase64(part) != null ? new UnsyncSharedBytes(decodedBytes(part, path)) : part.getInputStream();
    }

    private static String filename(Part part) {
        try {
            return part.getFileName();
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private String text(Part part, PartType type, String path) throws MessagingException {
        byte[] bytes;
        try {
            bytes = decodedBytes(part, path);
        } catch (IOException e) {
            notes.error("body: " + e.getMessage());
            return null;
        }
        String charset = type.charset();
        Charset cs = StandardCharsets.US_ASCII;
        if (charset != null) {
            try {
                cs = Charset.forName(MimeUtility.javaCharset(charset));
            } catch (RuntimeException e) {
                notes.error("unknown charset '" + charset + "', decoded as UTF-8");
                cs = StandardCharsets.UTF_8;
            }
        } else if (!isAscii(bytes)) {
            return undeclared8Bit(bytes, path);
        }
        // line ends as CRLF or LF depending on server and sender; records use LF
        if (crLfIsTwoBytes(cs)) {
            return new String(bytes, 0, dropCrBeforeLf(bytes), cs); // no second copy of the body
        }
        return new String(bytes, cs).replace("\r\n", "\n");
    }

    /** 8-bit text with no charset: UTF-8 when it is valid UTF-8 (most often today), else windows-1252. */
    private String undeclared8Bit(byte[] bytes, String path) {
        int length = dropCrBeforeLf(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            notes.warn(where(path) + ": 8-bit text with no charset is not UTF-8; read as windows-1252");
            return new String(bytes, 0, length, Charset.forName("windows-1252"));
        }
    }

    /** Charsets where CR and LF are the bytes 0x0D 0x0A and never part of another character. */
    private static boolean crLfIsTwoBytes(Charset cs) {
        String name = cs.name();
        return cs == StandardCharsets.UTF_8 || cs == StandardCharsets.US_ASCII || cs == StandardCharsets.ISO_8859_1
                || name.startsWith("ISO-8859-") || name.startsWith("windows-125");
    }

    /** Removes each CR that precedes an LF, in place; returns the new length. Lines move as whole runs. */
    static int dropCrBeforeLf(byte[] b) {
        int n = b.length;
        int w = 0;
        int r = 0;
        for (int cr = indexOfCrLf(b, 0); cr >= 0; cr = indexOfCrLf(b, cr + 2)) {
            System.arraycopy(b, r, b, w, cr - r);
            w += cr - r;
            r = cr + 1; // the LF starts the next run
        }
        System.arraycopy(b, r, b, w, n - r);
        return w + n - r;
    }

    private static int indexOfCrLf(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The undecoded content of a base64 part, or null when the part is not base64. */
    private static InputStream rawBase64(Part part) throws MessagingException {
        String[] cte = part.getHeader("Content-Transfer-Encoding");
        if (cte == null || cte.length == 0 || !cte[0].trim().equalsIgnoreCase("base64")) {
            return null;
        }
        if (part instanceof MimeBodyPart body) {
            return body.getRawInputStream();
        }
        return part instanceof MimeMessage message ? message.getRawInputStream() : null;
    }

    /** The part's content, transfer-decoded (base64 in blocks, see {@link Base64Blocks}). */
    private byte[] decodedBytes(Part part, String path) throws MessagingException, IOException {
        InputStream base64 = rawBase64(part);
        if (base64 == null) {
            try (InputStream in = part.getInputStream()) {
                return in.readAllBytes();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (base64) {
            warnGarbage(path, Base64Blocks.decode(base64,
                    b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining())));
        }
        return out.toByteArray();
    }

    private void warnGarbage(String path, Base64Blocks.Decoded decoded) {
        if (decoded.garbage() > 0) {
            notes.warn(where(path) + ": skipped " + decoded.garbage() + " bytes that are not base64");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private Attachment attachment(Part part, PartType type, String path, String filename, String disposition)
            throws MessagingException {
        String contentType = type.forAttachment();
        long size = 0;
        String sha256 = null;
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream base64 = rawBase64(part);
            if (base64 != null) {
                try (base64) {
                    Base64Blocks.Decoded decoded = Base64Blocks.decode(base64, digest::update);
                    warnGarbage(path, decoded);
                    size = decoded.size();
                }
            } else {
                try (InputStream in = part.getInputStream()) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        digest.update(buf, 0, n);
                        size += n;
                    }
                }
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            notes.error("attachment " + (filename == null ? contentType : filename) + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String[] ids = part.getHeader("Content-ID");
        return new Attachment(filename, contentType, size, disposition,
                ids == null || ids.length == 0 ? null : ids[0].trim(), sha256);
    }
}
