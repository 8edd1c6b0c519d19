package io.mailbridge.outbound;

import java.util.Properties;

import io.mailbridge.component.WriteTimeouts;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mail.smtp.save-to-sent=<folder>}: APPENDs each accepted message, marked \Seen, to that IMAP
 * folder of the inbound account, as mail clients do. A failure is logged: the message was sent.
 */
public class SentFolderAppender implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SentFolderAppender.class);

    private final String folder;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String username;
    private final String password;
    private Store store;

    public SentFolderAppender(String folder, String host, int port, boolean ssl, String username, String password) {
        this.folder = folder;
        this.host = host;
        this.port = port;
        this.ssl = ssl;
        this.username = username;
        this.password = password;
    }

    @Override
    public synchronized void process(Exchange exchange) {
        if (folder == null || folder.isBlank()) {
            return;
        }
        MimeMessage message = exchange.getMessage().getBody(MimeMessage.class);
        try {
            if (store == null) {
                Properties props = new Properties();
                String protocol = ssl ? "imaps" : "imap";
                WriteTimeouts.configure(props, protocol, 30_000, 30_000, 30_000);
                Store s = Session.getInstance(props).getStore(protocol);
                s.connect(host, port, username, password);
                store = s;
            }
            message.setFlags(new Flags(Flags.Flag.SEEN), true);
            Folder target = store.getFolder(folder);
            if (!target.exists()) {
                target.create(Folder.HOLDS_MESSAGES);
            }
            target.appendMessages(new Message[] { message });
        } catch (MessagingException e) {
            LOG.warn("Sent {} but could not save it to IMAP folder '{}': {}",
                    exchange.getProperty(OutboundRequestProcessor.MESSAGE_ID), folder, e.getMessage());
            try {
                if (store != null) {
                    store.close();
                }
            } catch (MessagingException ignored) {
                // already broken
            }
            store = null;
        }
    }
}
