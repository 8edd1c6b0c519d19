package io.mailbridge.imap.protocol;


import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import io.mailbridge.component.MailServerConfiguration;
import io.mailbridge.oauth2.MailLogin;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.event.ConnectionAdapter;
import jakarta.mail.event.ConnectionEvent;
import jakarta.mail.Store;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.ResyncData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection and the folders selected on it. Folders stay selected between syncs, so a
 * sync that finds nothing new costs one command. The connection is opened on first use and after
 * {@link #close()}; a broken one fails the command that met it, and the caller closes the session.
 */
public final class ImapSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private final ImapServer server;
    private final boolean readWrite;
    private final int readTimeout;
    private final Map<String, IMAPFolder> selected = new ConcurrentHashMap<>(); // the close listener runs on Angus' event thread
    private Store store;
    private volatile boolean qresync;

    public ImapSession(ImapServer server, boolean readWrite) {
        this(server, readWrite, server.configuration().getTimeout());
    }

    /** With its own read timeout: an IDLE connection waits longer between server responses than commands do. */
    public ImapSession(ImapServer server, boolean readWrite, int readTimeout) {
        this.server = server;
        this.readWrite = readWrite;
        this.readTimeout = readTimeout;
    }

    /**
     * Selects folders with QRESYNC enabled where the server lists it: QRESYNC must be enabled before SELECT, and is
     * what makes a server report expunges by UID ({@code VANISHED}). Only for the changes path's own connection,
     * which sends nothing but {@link ChangeCommands}: Angus 2.0.5 cannot take a plain VANISHED of several UIDs.
     */
    public void enableQresync() {
        this.qresync = true;
    }

    /** The folder, selected (EXAMINE, or SELECT when a post-action writes to it). */
    public IMAPFolder folder(String name) throws MessagingException {
        IMAPFolder folder = selected.get(name);
        if (folder != null) {
            // no isOpen(): Angus probes with a NOOP when the connection was quiet for a second, a second round trip
            // per idle poll (IdlePollWireTest). A folder Angus closed (a BYE, a dead connection) is dropped from
            // here by the listener below, and FolderSync selects it again when a command finds it closed.
            return folder;
        }
        IMAPFolder opened = (IMAPFolder) connectedStore().getFolder(name);
        try {
            // may log in on a new connection (after a reconnect): with a token from the provider (OAuth2ImapStore)
            server.login().loggingIn(() -> {
                int mode = readWrite ? Folder.READ_WRITE : Folder.READ_ONLY;
                if (qresync && ChangeCommands.hasQresync((IMAPStore) connectedStore())) {
                    // the SELECT's own QRESYNC report is not needed (the changes path asks with UID FETCH ... VANISHED):
                    // the folder's present UIDVALIDITY and HIGHESTMODSEQ say "nothing since now"
                    ChangeCommands.Status status = ChangeCommands.status(opened);
                    opened.open(mode, new ResyncData(status.uidValidity(), status.highestModSeq()));
                } else {
                    opened.open(mode);
                }
                return null;
            });
        } catch (FolderNotFoundException e) {
            throw new MessagingException("Folder '" + name + "' does not exist on " + server.account(), e);
        }
        opened.addConnectionListener(new ConnectionAdapter() {
            @Override
            public void closed(ConnectionEvent e) {
                selected.remove(name, opened);
            }
        });
        selected.put(name, opened);
        return opened;
    }

    /** Forgets a folder the server closed (autologout), so the next {@link #folder} selects it again. */
    public void forget(String name) {
        selected.remove(name);
    }

    /** Fails when a folder cannot hold the keyword a {@code flag:} post-action sets. */
    public void checkKeywordsAllowed(List<String> folders, String after) throws MessagingException {
        for (String name : folders) {
            Folder folder = connectedStore().getFolder(name);
            server.login().loggingIn(() -> {
                folder.open(Folder.READ_WRITE);
                return null;
            });
            try {
                if (!folder.getPermanentFlags().contains(Flags.Flag.USER)) {
                    throw new IllegalStateException("mail.imap.after=" + after + ": folder '" + name + "' on "
                            + server.account() + " does not allow keywords (PERMANENTFLAGS has no \\*)");
                }
            } finally {
                folder.close(false);
            }
        }
    }

    /**
     * APPENDs messages to a folder, creating it first when the server has none of that name (a fresh
     * mailbox may have no Sent yet). The folder is not selected: APPEND needs no SELECT, and a writer
     * such as save-to-sent has no reason to hold one open.
     */
    public void append(String name, Message... messages) throws MessagingException {
        Folder folder = connectedStore().getFolder(name);
        server.login().loggingIn(() -> { // store commands may log in on a new connection too
            if (!folder.exists()) {
                folder.create(Folder.HOLDS_MESSAGES);
            }
            folder.appendMessages(messages);
            return null;
        });
    }

    private Store connectedStore() throws MessagingException {
        // no isConnected() here: it costs a NOOP per poll; a dead connection fails the poll and is reopened
        if (store == null) {
            MailServerConfiguration configuration = server.configuration();
            String protocol = configuration.protocol("imap");
            MailLogin login = server.login();
            Properties props = configuration.sessionProperties(protocol, readTimeout, login);
            props.put("mail." + protocol + ".peek", "true");
            // one Jakarta Mail event thread for every folder, not one per folder that got an event (an IDLE
            // folder's new-mail listener): bench/accounts.sh with mail flowing, +200 threads at 200 accounts.
            // The listeners only hand work on (IdleWatchers.requestSync, forget a closed folder).
            props.put("mail.event.scope", "application");
            if (server.sslTrust() != null && !server.sslTrust().isBlank()) {
                props.put("mail." + protocol + ".ssl.trust", server.sslTrust());
            }
            Session session = Session.getInstance(props);
            session.setDebug(configuration.isDebug());
            // with XOAUTH2 a store whose every login, this one and each Angus makes later for a folder or a
            // store command, takes its token from the provider (one replacement + retry when one is refused)
            Store s = login.imapStore(session, protocol);
            login.loggingIn(() -> {
                configuration.connect(s, login);
                return null;
            });
            store = s;
            LOG.debug("Connected to {}://{} as {}", protocol, configuration.address(), configuration.getUsername());
        }
        return store;
    }

    /** Closes the folders and the connection; the next {@link #folder} connects again. */
    @Override
    public void close() {
        for (IMAPFolder folder : selected.values()) {
            try {
                if (folder.isOpen()) {
                    folder.close(false);
                }
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("Closing folder {} failed", folder.getFullName(), e);
            }
        }
        selected.clear();
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.debug("Closing the IMAP connection failed", e);
            }
            store = null;
        }
    }
}
