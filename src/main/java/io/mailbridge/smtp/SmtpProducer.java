package io.mailbridge.smtp;

import io.mailbridge.component.Causes;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mailbridge.component.MailServerConfiguration;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange's MimeMessage on one open SMTP connection; reconnects when the server closed
 * it, and closes it after {@code idleTimeout} without traffic. Exchanges are sent one at a time.
 */
public class SmtpProducer extends DefaultProducer {

    /** The server's reply to the end of DATA, e.g. {@code 250 2.0.0 Ok: queued as 4Xyz}. */
    public static final String SMTP_REPLY = "MailbridgeSmtpReply";

    private static final Logger LOG = LoggerFactory.getLogger(SmtpProducer.class);

    private final SmtpEndpoint endpoint;
    private Session session;
    private SMTPTransport transport;
    private long lastUse;
    private ScheduledExecutorService idleCloser;

    public SmtpProducer(SmtpEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MailServerConfiguration server = endpoint.getConfiguration();
        if (endpoint.isTrustAll()) {
            LOG.warn("mail.smtp.trust-all=true: TLS certificates of {} are NOT checked. Use this with test servers only.",
                    server.getHost());
        }
        session = endpoint.createSession();
        session.setDebug(server.isDebug());
        if (endpoint.isReuseConnection()) {
            idleCloser = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "mailbridge-smtp-idle");
            idleCloser.scheduleWithFixedDelay(this::closeIfIdle, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (idleCloser != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(idleCloser);
            idleCloser = null;
        }
        disconnect();
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        MimeMessage message = exchange.getMessage().getMandatoryBody(MimeMessage.class);
        message.saveChanges();
        String reply;
        synchronized (this) {
            boolean fresh = transport == null;
            try {
                reply = send(message);
            } catch (MessagingException e) {
                disconnect();
                if (fresh || !isConnectionLoss(e)) {
                    throw e;
                }
                // the server dropped an idle connection: one retry on a new one
                reply = send(message);
            } finally {
                lastUse = System.nanoTime();
                if (!endpoint.isReuseConnection()) {
                    disconnect();
                }
            }
        }
        exchange.getMessage().setHeader(SMTP_REPLY, reply);
    }

    private String send(MimeMessage message) throws MessagingException {
        if (transport == null) {
            MailServerConfiguration server = endpoint.getConfiguration();
            SMTPTransport t = (SMTPTransport) session.getTransport(server.protocol("smtp"));
            endpoint.connect(t);
            transport = t;
        }
        transport.sendMessage(message, message.getAllRecipients());
        String reply = transport.getLastServerResponse();
        return reply == null ? null : reply.trim();
    }

    private static boolean isConnectionLoss(MessagingException e) {
        for (Throwable t : Causes.chain(e)) {
            if (t instanceof java.io.IOException || t instanceof IllegalStateException) {
                return true;
            }
            if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s && s.getReturnCode() == 421) {
                return true;
            }
        }
        return false;
    }

    private synchronized void closeIfIdle() {
        if (transport != null && System.nanoTime() - lastUse > TimeUnit.MILLISECONDS.toNanos(endpoint.getIdleTimeout())) {
            disconnect();
        }
    }

    private synchronized void disconnect() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                LOG.debug("Closing the SMTP connection failed", e);
            }
            transport = null;
        }
    }
}
