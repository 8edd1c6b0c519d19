package io.mailbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/** Builds the kinds of messages users receive, for tests. */
public final class TestMessages {

    public static final Session SESSION = Session.getInstance(new Properties());

    private static final String FILLER = "lorem ipsum ".repeat(170);

    private TestMessages() {
    }

    public static MimeMessage plain(String from, String to, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        m.saveChanges();
        return m;
    }

    public static MimeMessage alternative(String subject, String text, String html) throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress("alerts@example.com"));
        m.setRecipients(Message.RecipientType.TO, "alice@localhost");
        m.setSubject(subject);
        MimeMultipart alt = new MimeMultipart("alternative");
        MimeBodyPart p = new MimeBodyPart();
        p.setText(text, "UTF-8");
        MimeBodyPart h = new MimeBodyPart();
        h.setContent(html, "text/html; charset=UTF-8");
        alt.addBodyPart(p);
        alt.addBodyPart(h);
        m.setContent(alt);
        m.saveChanges();
        return m;
    }

    public static MimeMessage withAttachment(String subject, String text, String filename, byte[] content,
            String contentType) throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress("billing@example.com", "Billing"));
        m.setRecipients(Message.RecipientType.TO, "alice@localhost");
        m.setRecipients(Message.RecipientType.CC, "bob@example.com, \"Doe, Carol\" <carol@example.com>");
        m.setSubject(subject);
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        MimeBodyPart att = new MimeBodyPart();
        att.setDataHandler(new DataHandler(new ByteArrayDataSource(content, contentType)));
        att.setFileName(filename);
        att.setContentID("<att-1@example.com>");
        m.setContent(new MimeMultipart(body, att));
        m.saveChanges();
        return m;
    }

    public static MimeMessage latin1(String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(SESSION);
        m.setFrom(new InternetAddress("kunde@example.de", "Jürgen Müller", "ISO-8859-1"));
        m.setRecipients(Message.RecipientType.TO, "alice@localhost");
        m.setSubject(subject, "ISO-8859-1");
        m.setText(text, "ISO-8859-1");
        m.setHeader("Content-Transfer-Encoding", "8bit");
        m.saveChanges();
        return m;
    }

    /**
     * A small plain message (~2 KB) as raw bytes with CRLF line ends, for filling folders by the
     * thousand with {@link DovecotServer#deliverRaw}.
     */
    public static byte[] small(String messageId, String subject) {
        String msg = "From: sender@example.com\r\nTo: alice@localhost\r\nSubject: " + subject + "\r\nMessage-ID: <"
                + messageId + ">\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n" + FILLER + "\r\n";
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
