package io.mailbridge.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.activation.DataHandler;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo mail server ({@code mail.embedded.enabled=true}): GreenMail with IMAP and SMTP on
 * loopback, one user, and a few demo messages, so mailbridge runs out of the box. It keeps mail in
 * memory: every start is a new mailbox with a new UIDVALIDITY.
 */
public class EmbeddedMailServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final String bindAddress;
    private final int imapPort;
    private final int smtpPort;
    private final String login;
    private final String password;
    private final String email;
    private GreenMail greenMail;

    public EmbeddedMailServer(String bindAddress, int imapPort, int smtpPort, String login, String password) {
        this.bindAddress = bindAddress;
        this.imapPort = imapPort;
        this.smtpPort = smtpPort;
        this.login = login;
        this.password = password;
        this.email = login.contains("@") ? login : login + "@localhost";
    }

    /** The demo user's address: mail sent there lands in the INBOX mailbridge reads. */
    public String email() {
        return email;
    }

    @Override
    protected void doStart() throws Exception {
        greenMail = new GreenMail(new ServerSetup[] {
            new ServerSetup(imapPort, bindAddress, ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(smtpPort, bindAddress, ServerSetup.PROTOCOL_SMTP) });
        greenMail.start();
        GreenMailUser user = greenMail.setUser(email, login, password);
        seed(user);
        LOG.info("Embedded mail server (GreenMail) on {}: IMAP {}, SMTP {}, user {} with {} demo messages",
                bindAddress, imapPort, smtpPort, login, DEMO_MESSAGES);
    }

    @Override
    protected void doStop() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    private static final int DEMO_MESSAGES = 3;

    private void seed(GreenMailUser user) throws Exception {
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        Session session = Session.getInstance(new java.util.Properties());

        MimeMessage invoice = new MimeMessage(session);
        invoice.setFrom(new InternetAddress("billing@example.com", "Billing Dept"));
        invoice.setRecipient(Message.RecipientType.TO, new InternetAddress(email));
        invoice.setSubject("Invoice 2026-11 attached", "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Please find the November invoice attached.\n", "UTF-8");
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setDataHandler(new DataHandler(new ByteArrayDataSource(
                "%PDF-1.4 demo invoice".getBytes(StandardCharsets.US_ASCII), "application/pdf")));
        pdf.setFileName("invoice-2026-11.pdf");
        invoice.setContent(new MimeMultipart(text, pdf));
        invoice.setSentDate(new Date());
        invoice.saveChanges();
        inbox.appendMessage(invoice, new Flags(Flags.Flag.FLAGGED), new Date());

        MimeMessage alert = new MimeMessage(session);
        alert.setFrom(new InternetAddress("monitor@example.com"));
        alert.setRecipient(Message.RecipientType.TO, new InternetAddress(email));
        alert.setSubject("Disk usage above 90% on db-1");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Disk usage on db-1 is 91%.\n", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Disk usage on <b>db-1</b> is 91%.</p>", "text/html; charset=UTF-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        alert.setContent(alternative);
        alert.setSentDate(new Date());
        alert.saveChanges();
        inbox.appendMessage(alert, new Flags(), new Date());

        MimeMessage support = new MimeMessage(session);
        support.setFrom(new InternetAddress("kunde@example.de", "Jürgen Müller", "UTF-8"));
        support.setRecipient(Message.RecipientType.TO, new InternetAddress(email));
        support.setSubject("Frage zur Lieferung – Bestellung 4711", "UTF-8");
        support.setText("Grüße aus München! Wann kommt die Lieferung?\n", "ISO-8859-1");
        support.setSentDate(new Date());
        support.saveChanges();
        Flags seen = new Flags(Flags.Flag.SEEN);
        seen.add("$Support");
        inbox.appendMessage(support, seen, new Date());
    }
}
