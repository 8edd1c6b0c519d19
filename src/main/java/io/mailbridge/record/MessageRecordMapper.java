package io.mailbridge.record;

import java.io.File;
import java.nio.file.Files;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;

import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import io.mailbridge.component.StreamProviderPin;
import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.record.MessageRecord.Address;
import io.mailbridge.record.MessageRecord.Attachment;
import io.mailbridge.record.MessageRecord.Header;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedFileInputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns the RFC 822 bytes of a {@code mailbridge-imap} exchange into a {@link MessageRecord}, using
 * Jakarta Mail for all MIME parsing. It is lenient: a damaged part or an unknown charset becomes an
 * {@code error} in an otherwise complete record. Only bytes with no header section at all are
 * refused ({@link UnparseableMessageException}), so the route can dead-letter them raw.
 */
public class MessageRecordMapper implements Processor {

    private final Session session;

    public MessageRecordMapper() {
        StreamProviderPin.apply();
        Properties props = new Properties();
        props.put("mail.mime.address.strict", "false");
        props.put("mail.mime.decodetext.strict", "false");
        props.put("mail.mime.decodefilename", "true");
        props.put("mail.mime.decodeparameters", "true");
        props.put("mail.mime.parameters.strict", "false");
        props.put("mail.mime.multipart.ignoreexistingboundaryparameter", "false");
        this.session = Session.getInstance(props);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        if (in.getBody() instanceof MessageRecord || exchange.getProperty(RecordJson.PREPARED, false, Boolean.class)) {
            return; // mapped ahead of the route by the consumer's prepare threads
        }
        if (in.getBody() instanceof File file) {
            // a large message spooled by the consumer: parsed from the file, parts streamed, never loaded whole
            try (SharedFileInputStream shared = new SharedFileInputStream(file)) {
                MessageRecord record = map(shared, file.length(), () -> Files.readAllBytes(file.toPath()), in);
                in.setHeader(MailbridgeHeaders.SUBJECT, record.subject());
                in.setBody(record);
            }
        } else {
            byte[] raw = in.getMandatoryBody(byte[].class);
            // shared: MIME parts are views into this array, not copies of it
            MessageRecord record = map(new UnsyncSharedBytes(raw), raw.length, () -> raw, in);
            in.setHeader(MailbridgeHeaders.SUBJECT, record.subject());
            in.setBody(record);
        }
    }

    /** The whole message as bytes, only read when the record must carry it ({@code fetch=raw}). */
    private interface RawBytes {
        byte[] read() throws IOException;
    }

    private MessageRecord map(InputStream source, long length, RawBytes rawBytes, Message in)
            throws UnparseableMessageException, IOException {
        MimeMessage m = parse(source);
        Errors errors = new Errors();
        Body body = new Body();
        if (!"headers".equals(in.getHeader(MailbridgeHeaders.FETCH, String.class))) {
            walk(m, body, errors, 0);
        }
        String fetch = in.getHeader(MailbridgeHeaders.FETCH, String.class);
        return MessageRecord.builder()
                .key(in.getHeader(MailbridgeHeaders.KEY, String.class))
                .account(in.getHeader(MailbridgeHeaders.ACCOUNT, String.class))
                .folder(in.getHeader(MailbridgeHeaders.FOLDER, String.class))
                .uidValidity(in.getHeader(MailbridgeHeaders.UID_VALIDITY, 0L, Long.class))
                .uid(in.getHeader(MailbridgeHeaders.UID, 0L, Long.class))
                .flags(flags(in))
                .internalDate(in.getHeader(MailbridgeHeaders.INTERNAL_DATE, String.class))
                .date(sentDate(m))
                .size(in.getHeader(MailbridgeHeaders.SIZE, length, Long.class))
                .messageId(header(m, "Message-ID"))
                .inReplyTo(header(m, "In-Reply-To"))
                .references(references(header(m, "References")))
                .subject(subject(m, errors))
                .from(addresses(m, "From", errors))
                .sender(addresses(m, "Sender", errors))
                .replyTo(addresses(m, "Reply-To", errors))
                .to(addresses(m, "To", errors))
                .cc(addresses(m, "Cc", errors))
                .bcc(addresses(m, "Bcc", errors))
                .headers(headers(m))
                .text(body.text)
                .html(body.html)
                .attachments(body.attachments)
                .raw("raw".equals(fetch) ? Base64.getEncoder().encodeToString(rawBytes.read()) : null)
                .error(errors.joined())
                .build();
    }

    private MimeMessage parse(InputStream source) throws UnparseableMessageException, IOException {
        source.mark(1000);
        byte[] start = source.readNBytes(1000);
        source.reset();
        if (!startsWithHeaderField(start)) {
            throw new UnparseableMessageException("not an RFC 5322 message: it does not start with a header field", null);
        }
        try {
            return new MimeMessage(session, source);
        } catch (MessagingException e) {
            throw new UnparseableMessageException("not an RFC 5322 message: " + e.getMessage(), e);
        }
    }

    /** field-name = 1*(printable US-ASCII except ':') followed by ':'. */
    private static boolean startsWithHeaderField(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            int b = raw[i] & 0xff;
            if (b == ':') {
                return i > 0;
            }
            if (b <= 32 || b >= 127) {
                return false;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<String> flags(Message in) {
        Object flags = in.getHeader(MailbridgeHeaders.FLAGS);
        return flags instanceof List<?> list ? (List<String>) list : List.of();
    }

    private static String sentDate(MimeMessage m) {
        try {
            Date d = m.getSentDate();
            return d == null ? null : d.toInstant().toString();
        } catch (MessagingException | RuntimeException e) {
            return null; // the schema says: null when missing or unparseable
        }
    }

    private static String header(MimeMessage m, String name) {
        try {
            String v = m.getHeader(name, " ");
            return v == null ? null : MimeUtility.unfold(v).trim();
        } catch (MessagingException e) {
            return null;
        }
    }

    /** compiled once: String.split with this regex would compile it for every message */
    private static final Pattern REFERENCE_SEPARATORS = Pattern.compile("[\\s,]+");

    private static List<String> references(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String token : REFERENCE_SEPARATORS.split(value)) {
            if (!token.isEmpty()) {
                ids.add(token);
            }
        }
        return ids;
    }

    private static String subject(MimeMessage m, Errors errors) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            errors.add("Subject: " + e.getMessage());
            return header(m, "Subject");
        }
    }

    private static List<Address> addresses(MimeMessage m, String name, Errors errors) {
        String value = header(m, name);
        if (value == null) {
            return List.of();
        }
        try {
            List<Address> out = new ArrayList<>();
            for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                out.add(new Address(a.getPersonal(), a.getAddress()));
            }
            return out;
        } catch (AddressException e) {
            errors.add(name + ": " + e.getMessage());
            return List.of();
        }
    }

    private static List<Header> headers(MimeMessage m) {
        List<Header> out = new ArrayList<>();
        try {
            Enumeration<jakarta.mail.Header> all = m.getAllHeaders();
            for (jakarta.mail.Header h : Collections.list(all)) {
                out.add(new Header(h.getName(), MimeUtility.unfold(h.getValue() == null ? "" : h.getValue()).trim()));
            }
        } catch (MessagingException e) {
            // headers were parsed in the constructor; nothing can fail here
        }
        return out;
    }

    private static final int MAX_DEPTH = 20;

    /** First text/plain and text/html outside attachments are the bodies; every other leaf is an attachment. */
    private void walk(Part part, Body body, Errors errors, int depth) {
        try {
            if (part.isMimeType("multipart/*") && depth < MAX_DEPTH) {
                Object content = part.getContent();
                if (content instanceof Multipart mp) {
                    for (int i = 0; i < mp.getCount(); i++) {
                        BodyPart child = mp.getBodyPart(i);
                        walk(child, body, errors, depth + 1);
                    }
                    return;
                }
            }
            String disposition = part.getDisposition();
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition) || part.getFileName() != null;
            if (!attached && part.isMimeType("text/plain") && body.text == null) {
                body.text = text(part, errors);
            } else if (!attached && part.isMimeType("text/html") && body.html == null) {
                body.html = text(part, errors);
            } else if (depth > 0 || attached) {
                body.attachments.add(attachment(part, errors));
            } else if (part.isMimeType("text/*")) {
                body.text = text(part, errors); // e.g. text/enriched as the only body
            } else {
                body.attachments.add(attachment(part, errors));
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            errors.add("MIME structure: " + e.getMessage());
        }
    }

    private static String text(Part part, Errors errors) throws MessagingException {
        String charset = null;
        try {
            charset = new ContentType(part.getContentType()).getParameter("charset");
        } catch (MessagingException | RuntimeException e) {
            // a damaged Content-Type: fall through to the default charset
        }
        byte[] bytes;
        try {
            bytes = decodedBytes(part);
        } catch (IOException e) {
            errors.add("body: " + e.getMessage());
            return null;
        }
        Charset cs = StandardCharsets.US_ASCII;
        if (charset != null) {
            try {
                cs = Charset.forName(MimeUtility.javaCharset(charset));
            } catch (RuntimeException e) {
                errors.add("unknown charset '" + charset + "', decoded as UTF-8");
                cs = StandardCharsets.UTF_8;
            }
        } else if (!isAscii(bytes)) {
            cs = StandardCharsets.UTF_8; // undeclared 8-bit text is most often UTF-8 today
        }
        // line ends as CRLF or LF depending on server and sender; records use LF
        if (crLfIsTwoBytes(cs)) {
            return new String(bytes, 0, dropCrBeforeLf(bytes), cs); // no second copy of the body
        }
        return new String(bytes, cs).replace("\r\n", "\n");
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
        if (part instanceof jakarta.mail.internet.MimeBodyPart body) {
            return body.getRawInputStream();
        }
        return part instanceof MimeMessage message ? message.getRawInputStream() : null;
    }

    /** The part's content, transfer-decoded (base64 in blocks, see {@link Base64Blocks}). */
    private static byte[] decodedBytes(Part part) throws MessagingException, IOException {
        InputStream base64 = rawBase64(part);
        if (base64 == null) {
            try (InputStream in = part.getInputStream()) {
                return in.readAllBytes();
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (base64) {
            Base64Blocks.decode(base64, b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining()));
        }
        return out.toByteArray();
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static Attachment attachment(Part part, Errors errors) throws MessagingException {
        String filename;
        try {
            filename = part.getFileName();
        } catch (MessagingException | RuntimeException e) {
            filename = null;
        }
        String contentType;
        try {
            contentType = new ContentType(part.getContentType()).getBaseType().toLowerCase();
        } catch (MessagingException | RuntimeException e) {
            contentType = part.getContentType();
        }
        long size = 0;
        String sha256 = null;
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream base64 = rawBase64(part);
            if (base64 != null) {
                try (base64) {
                    size = Base64Blocks.decode(base64, digest::update);
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
            errors.add("attachment " + (filename == null ? contentType : filename) + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String[] ids = part.getHeader("Content-ID");
        String disposition = part.getDisposition();
        return new Attachment(filename, contentType, size, disposition == null ? null : disposition.toLowerCase(),
                ids == null || ids.length == 0 ? null : ids[0].trim(), sha256);
    }

    private static final class Body {
        String text;
        String html;
        List<Attachment> attachments = new ArrayList<>();
    }

    private static final class Errors {
        private final List<String> list = new ArrayList<>();

        void add(String e) {
            list.add(e);
        }

        String joined() {
            return list.isEmpty() ? null : String.join("; ", list);
        }
    }

}
