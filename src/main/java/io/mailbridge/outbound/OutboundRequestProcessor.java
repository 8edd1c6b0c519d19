package io.mailbridge.outbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import java.util.HexFormat;
import java.util.Properties;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step before {@code mailbridge-smtp:}: parses and validates the request in the body and
 * replaces it with the MimeMessage to send. The Message-ID is derived from the request ({@code id},
 * else a hash of its content and its file name or the broker's message id, see {@link RequestSource}), so a retried or re-submitted request gets the same one; when
 * the {@link SentLedger} already has it, {@code MailbridgeAlreadySent} is set and the route skips it.
 */
public class OutboundRequestProcessor implements Processor {

    /** Exchange property: the name under which sent and failure files are written. */
    public static final String REQUEST_NAME = "MailbridgeRequestName";
    /** Exchange property: the Message-ID the request is sent with. */
    public static final String MESSAGE_ID = "MailbridgeMessageId";
    /** Exchange property: the parsed {@link OutboundRequest}. */
    public static final String REQUEST = "MailbridgeRequest";
    /** Exchange property: true when this Message-ID was accepted by the server before. */
    public static final String ALREADY_SENT = "MailbridgeAlreadySent";

    private final OutboundRequestParser parser;
    private final SentLedger ledger;
    private final Session session = Session.getInstance(new Properties());

    public OutboundRequestProcessor(OutboundRequestParser parser, SentLedger ledger) {
        this.parser = parser;
        this.ledger = ledger;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        RequestSource source = RequestSource.of(exchange);
        exchange.setProperty(REQUEST_NAME, source.name());
        byte[] raw = in.getBody(byte[].class);
        OutboundRequest request = parser.parse(raw);
        exchange.setProperty(REQUEST_NAME, source.named(request.id()).name());
        String messageId = messageId(request, source, raw);
        exchange.setProperty(MESSAGE_ID, messageId);
        exchange.setProperty(REQUEST, request);
        exchange.setProperty(ALREADY_SENT, ledger.contains(messageId));
        in.removeHeaders("*", "Camel*");
        in.setBody(toMimeMessage(request, messageId));
    }

    /** {@code <hash@domain-of-sender>}: the same request always gives the same Message-ID. */
    static String messageId(OutboundRequest request, String name, byte[] raw) throws Exception {
        return messageId(request, new RequestSource(name, "file:" + name + "\n"), raw);
    }

    /** From {@code id}; else from the body and where it came from (file name, or the broker's id for the message). */
    static String messageId(OutboundRequest request, RequestSource source, byte[] raw) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (request.id() != null) {
            sha.update(("id:" + request.id()).getBytes(StandardCharsets.UTF_8));
        } else {
            sha.update(source.identity().getBytes(StandardCharsets.UTF_8));
            sha.update(raw);
        }
        String address = new InternetAddress(request.from()).getAddress();
        String domain = address.substring(address.indexOf('@') + 1);
        return "<mailbridge." + HexFormat.of().formatHex(sha.digest()).substring(0, 40) + "@" + domain + ">";
    }

    MimeMessage toMimeMessage(OutboundRequest request, String messageId) throws MessagingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId); // keep the derived id; Jakarta would make a new one
            }
        };
        m.setFrom(new InternetAddress(request.from()));
        m.setRecipients(RecipientType.TO, InternetAddress.parse(String.join(",", request.to())));
        m.setRecipients(RecipientType.CC, InternetAddress.parse(String.join(",", request.cc())));
        m.setRecipients(RecipientType.BCC, InternetAddress.parse(String.join(",", request.bcc())));
        if (!request.replyTo().isEmpty()) {
            m.setReplyTo(InternetAddress.parse(String.join(",", request.replyTo())));
        }
        m.setSubject(request.subject(), "UTF-8");
        m.setSentDate(new Date());
        if (request.inReplyTo() != null) {
            m.setHeader("In-Reply-To", request.inReplyTo());
        }
        if (!request.references().isEmpty()) {
            m.setHeader("References", String.join(" ", request.references()));
        }
        if (request.html() == null) {
            m.setText(request.text(), "UTF-8");
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(request.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(request.html(), "UTF-8", "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            m.setContent(alternative);
        }
        m.saveChanges();
        return m;
    }
}
