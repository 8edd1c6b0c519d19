package io.mailbridge.record;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.component.StreamProviderPin;
import io.mailbridge.record.MessageRecord.Address;
import io.mailbridge.record.report.AutoSubmitted;
import io.mailbridge.record.report.DeliveryReports;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns the RFC 822 bytes of a {@code mailbridge-imap} exchange into a {@link MessageRecord}, using
 * Jakarta Mail for MIME parsing. It reads a message as a mail client shows it: damaged structure
 * (an mbox envelope line, no header section, a header section with no blank line after it, an
 * unreadable Content-Type) is repaired and named in {@code warnings}; a part that cannot be read
 * (an unknown charset, broken base64) becomes an {@code error} in an otherwise complete record.
 * Only a parser failure (the bytes cannot be read at all) is refused ({@link UnparseableMessageException}),
 * so the route can dead-letter them raw.
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
        if (in.getBody() instanceof File file) {
            // a large message spooled by the consumer: parsed from the file, parts streamed, never loaded whole
            try (UnsyncSharedFile shared = UnsyncSharedFile.open(file)) {
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
        Notes notes = new Notes();
        if (length == 0) {
            notes.warn("message: empty, 0 bytes");
        }
        MimeMessage m = parse(source, notes);
        HeaderValues headers = new HeaderValues(m, notes);
        String fetch = in.getHeader(MailbridgeHeaders.FETCH, String.class);
        BodyReader body = "headers".equals(fetch) ? null : BodyReader.read(m, session, notes);
        boolean report = DeliveryReports.isReport(m);
        return MessageRecord.builder()
                .key(in.getHeader(MailbridgeHeaders.KEY, String.class))
                .account(in.getHeader(MailbridgeHeaders.ACCOUNT, String.class))
                .folder(in.getHeader(MailbridgeHeaders.FOLDER, String.class))
                .uidValidity(in.getHeader(MailbridgeHeaders.UID_VALIDITY, 0L, Long.class))
                .uid(in.getHeader(MailbridgeHeaders.UID, 0L, Long.class))
                .flags(flags(in))
                .internalDate(in.getHeader(MailbridgeHeaders.INTERNAL_DATE, String.class))
                .date(sentDate(headers.first("Date")))
                .size(in.getHeader(MailbridgeHeaders.SIZE, length, Long.class))
                .messageId(headers.joined("Message-ID"))
                .inReplyTo(headers.joined("In-Reply-To"))
                .references(references(headers.joined("References")))
                .subject(subject(headers.first("Subject"), notes))
                .from(addresses(headers, "From", notes))
                .sender(addresses(headers, "Sender", notes))
                .replyTo(addresses(headers, "Reply-To", notes))
                .to(addresses(headers, "To", notes))
                .cc(addresses(headers, "Cc", notes))
                .bcc(addresses(headers, "Bcc", notes))
                .headers(headers.all())
                .autoSubmitted(AutoSubmitted.of(headers::first, report))
                .text(body == null ? null : body.text)
                .html(body == null ? null : body.html)
                .attachments(body == null ? List.of() : body.attachments)
                // the report's warnings after the body's, as the parts are read in that order
                .deliveryReport(body == null || !report ? null : DeliveryReports.read(m, notes::warn))
                .raw("raw".equals(fetch) ? Base64.getEncoder().encodeToString(rawBytes.read()) : null)
                .error(notes.joinedErrors())
                .warnings(notes.warnings())
                .build();
    }

    /**
     * Well-formed bytes go to Jakarta Mail as they are; an mbox envelope line, a missing header
     * section, one not ended by a blank line or a lone CR inside a header line are found by
     * {@link HeaderScan} first and repaired.
     */
    private MimeMessage parse(InputStream source, Notes notes) throws UnparseableMessageException, IOException {
        HeaderScan scan = HeaderScan.of(source, true);
        try {
            if (scan.wellFormed()) {
                return new MimeMessage(session, source);
            }
            if (scan.envelope != null) {
                notes.warn("message: skipped the mbox envelope line \"" + scan.envelope + "\" before the headers");
            }
            LenientMime.warn("message", scan, notes);
            return LenientMime.message(session, source, scan);
        } catch (MessagingException e) {
            throw new UnparseableMessageException("not an RFC 5322 message: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> flags(Message in) {
        Object flags = in.getHeader(MailbridgeHeaders.FLAGS);
        return flags instanceof List<?> list ? (List<String>) list : List.of();
    }

    private static String sentDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return new MailDateFormat().parse(value).toInstant().toString();
        } catch (ParseException | RuntimeException e) {
            return null; // the schema says: null when missing or unparseable
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

    private static String subject(String value, Notes notes) {
        return value == null ? null : EncodedWords.decode(value, "Subject", notes);
    }

    private static List<Address> addresses(HeaderValues headers, String name, Notes notes) {
        String value = headers.joined(name);
        if (value == null) {
            return List.of();
        }
        try {
            List<Address> out = new ArrayList<>();
            for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                out.add(new Address(EncodedWords.personal(a, name, notes), a.getAddress()));
            }
            return out;
        } catch (AddressException e) {
            notes.error(name + ": " + e.getMessage());
            return List.of();
        }
    }
}
