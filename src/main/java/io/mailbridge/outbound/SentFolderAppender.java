package io.mailbridge.outbound;

import java.util.function.Supplier;

import io.mailbridge.accounts.Account;
import io.mailbridge.imap.component.MailboxConfiguration;
import io.mailbridge.imap.operations.FailureDescriptions;
import io.mailbridge.imap.protocol.ImapServer;
import io.mailbridge.imap.protocol.ImapSession;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mail.smtp.save-to-sent=<folder>}: APPENDs each accepted message, marked \Seen, to that IMAP
 * folder of one mailbox, as mail clients do. The connection is an {@link ImapSession} on the mailbox's own
 * server configuration, so it logs in exactly as that mailbox's reader does: implicit TLS or STARTTLS
 * (required), the server's identity checked, XOAUTH2 with the account's token provider, its timeouts.
 * A failure is one WARN line: the message was sent, and failing the exchange now would send it again.
 */
public class SentFolderAppender extends ServiceSupport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SentFolderAppender.class);

    private final String folder;
    // read on the first APPEND, not at construction: an oauth2 account gets its token provider only when its
    // route is created (AccountRoutes, after this bean is bound), and a copy taken earlier would lack it
    private final Supplier<MailboxConfiguration> mailbox;
    private ImapServer server;
    private ImapSession session;

    /** Saves to {@code folder} of the account's mailbox; a blank folder saves nothing. */
    public SentFolderAppender(String folder, Account account) {
        this(folder, account::configuration);
    }

    private SentFolderAppender(String folder, Supplier<MailboxConfiguration> mailbox) {
        this.folder = folder == null ? "" : folder.trim();
        this.mailbox = mailbox;
    }

    /** For mail.smtp.save-to-sent empty: the route step stays, and does nothing. */
    public static SentFolderAppender disabled() {
        return new SentFolderAppender("", () -> null);
    }

    @Override
    public synchronized void process(Exchange exchange) {
        if (folder.isEmpty()) {
            return;
        }
        MimeMessage message = exchange.getMessage().getBody(MimeMessage.class);
        try {
            message.setFlags(new Flags(Flags.Flag.SEEN), true);
            session().append(folder, message);
        } catch (MessagingException | RuntimeException e) {
            // RuntimeException too: whatever goes wrong here, the SMTP server has the message, and an exception
            // leaving this step would fail the exchange and leave the request in the outbox to be sent again
            String where = server == null ? "" : " of " + server.account() + " (" + server.address() + ")";
            LOG.warn("Sent {} but could not save a copy to IMAP folder '{}'{}: {}",
                    exchange.getProperty(OutboundRequestProcessor.MESSAGE_ID), folder, where,
                    FailureDescriptions.describe(e, server == null ? "the server" : server.host()));
            LOG.debug("Saving to IMAP folder '{}' failed", folder, e);
            closeSession(); // a broken connection is not reused: the next message connects again
        }
    }

    private ImapSession session() {
        if (session == null) {
            if (server == null) {
                // a copy, so this connection has a login (and back-off) of its own, not the reader's
                MailboxConfiguration c = mailbox.get().copy();
                c.validate("mail.smtp.save-to-sent");
                server = new ImapServer(c, c.login("save-to-sent " + c.effectiveAccount()), c.effectiveAccount(),
                        c.getSslTrust());
            }
            session = new ImapSession(server, true);
        }
        return session;
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    protected synchronized void doStop() {
        closeSession();
    }
}
