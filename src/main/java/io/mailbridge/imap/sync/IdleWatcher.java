package io.mailbridge.imap.sync;

import io.mailbridge.config.Durations;

import io.mailbridge.imap.operations.Backoff;
import io.mailbridge.imap.operations.FailureDescriptions;
import io.mailbridge.imap.protocol.ImapSession;
import io.mailbridge.imap.protocol.ImapServer;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits in IMAP IDLE on one folder, on a connection of its own, and turns what the server says into
 * wake-ups: new mail (EXISTS), every re-issue of IDLE and every (re)connect ask the consumer to sync
 * the folder from its checkpoint. IDLE is only a signal, so a notification lost or a connection
 * dropped loses nothing: the sync finds whatever is above the checkpoint.
 *
 * <p>A plain {@code IMAPFolder.idle()} loop on its own thread, not Angus' experimental IdleManager
 * (which stops watching a folder after an exception). IDLE is ended and re-issued every
 * {@code interval} (RFC 2177: before 29 minutes); a connection that fails, or does not answer the
 * DONE within the read timeout, is replaced after a back-off.
 */
public final class IdleWatcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWatcher.class);
    private static final int RECYCLE_AFTER_MESSAGES = 10_000;

    /** The consumer's side: what a watcher reports. */
    public interface Listener {
        /** Sync this folder from its checkpoint (new mail, re-IDLE or reconnect); must not block long. */
        void wake(String folder);

        /** The server does not advertise IDLE: the folder is left to polling. */
        void idleUnsupported(String folder);

        /** Another client changed a message's flags or expunged one (untagged FETCH, EXPUNGE, VANISHED). */
        default void changed(String folder) {
        }
    }

    private final String folderName;
    private final ImapServer server;
    private final Duration interval;
    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final Listener listener;
    private final String where;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong reissues = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile IMAPFolder idling;

    public IdleWatcher(String folderName, ImapServer server, Duration interval, Backoff backoff,
            ScheduledExecutorService timer, Listener listener) {
        this.folderName = folderName;
        this.server = server;
        this.interval = interval;
        this.backoff = backoff;
        this.timer = timer;
        this.listener = listener;
        this.where = "IMAP " + server.account() + " folder " + folderName + " ("
                + server.address() + ")";
    }

    public String folder() {
        return folderName;
    }

    /** True while IDLE is established on the folder's connection. */
    public boolean isConnected() {
        return connected;
    }

    /** Connections made again after one was lost. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Times IDLE was ended and issued again on the same connection. */
    public long reissues() {
        return reissues.get();
    }

    @Override
    public void run() {
        boolean first = true;
        while (running) {
            // the read timeout outlasts the re-issue interval: a quiet IDLE is not taken for a dead connection
            try (ImapSession session = new ImapSession(server, false, readTimeout())) {
                IMAPFolder folder = session.folder(folderName);
                // asked on the folder's own connection: a store-level command would open a third connection,
                // since the folder holds the store's (bench/accounts.sh: 3 connections per folder, now 2)
                if (!Boolean.TRUE.equals(folder.doCommand(protocol -> protocol.hasCapability("IDLE")))) {
                    listener.idleUnsupported(folderName);
                    return;
                }
                onConnected(folder, first);
                // a planned recycle is not a reconnect: the next connection counts as a first one
                first = idleUntilStopped(folder);
            } catch (MessagingException | RuntimeException e) {
                connected = false;
                idling = null;
                if (running && FailureDescriptions.isLoginRefused(e)) {
                    // the consumer's polls retry the login with their back-off and restart this watcher
                    LOG.warn("{}: IDLE login refused: {}; left to the polls until a login succeeds", where,
                            FailureDescriptions.describe(e, server.host()));
                    return;
                }
                if (running) {
                    waitBeforeReconnect(e);
                    first = false;
                }
            }
        }
    }

    private void onConnected(IMAPFolder folder, boolean first) {
        folder.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesAdded(MessageCountEvent e) {
                listener.wake(folderName);
            }

            @Override
            public void messagesRemoved(MessageCountEvent e) {
                listener.changed(folderName);
            }
        });
        folder.addMessageChangedListener(e -> listener.changed(folderName));
        if (!first) {
            reconnects.incrementAndGet();
            LOG.info("{}: IDLE connection re-established after {} failure(s); catching up from the checkpoint",
                    where, backoff.failures());
        } else {
            LOG.debug("{}: waiting in IDLE, re-issued every {}", where, interval);
        }
        backoff.succeeded();
        connected = true;
        listener.wake(folderName); // catch up on what arrived while not connected
    }

    /**
     * IDLE, re-issued every interval, until stopped or the connection fails. Returns true when the
     * connection should be replaced because Angus has cached a message object for every EXISTS it saw
     * (a long-lived connection on a busy folder would otherwise grow without bound).
     */
    private boolean idleUntilStopped(IMAPFolder folder) throws MessagingException {
        idling = folder;
        int countAtOpen = folder.getMessageCount();
        while (running) {
            ScheduledFuture<?> reissue = timer.schedule(() -> endIdle(folder), interval.toMillis(), TimeUnit.MILLISECONDS);
            try {
                folder.idle(false); // returns when endIdle sends DONE, or the server ends it; throws when the connection dies
            } finally {
                reissue.cancel(false);
            }
            if (running) {
                reissues.incrementAndGet();
                LOG.debug("{}: re-issuing IDLE", where);
                listener.wake(folderName);
                if (folder.getMessageCount() - countAtOpen > RECYCLE_AFTER_MESSAGES) {
                    LOG.debug("{}: replacing the IDLE connection after {} new messages", where, RECYCLE_AFTER_MESSAGES);
                    return true;
                }
            }
        }
        return false;
    }

    /** Ends the IDLE command (DONE); any command on the folder does that in Angus, this one sends nothing else. */
    private void endIdle(IMAPFolder folder) {
        try {
            folder.doCommand(protocol -> null);
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("{}: ending IDLE failed", where, e);
        }
    }

    private void waitBeforeReconnect(Exception failure) {
        Duration delay = backoff.failed(FailureDescriptions.kindOf(failure));
        LOG.warn("{}: IDLE connection lost: {}; reconnecting in {}", where,
                FailureDescriptions.describe(failure, server.host()), Durations.words(delay.toMillis()));
        LOG.debug("{}: IDLE failure", where, failure);
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private int readTimeout() {
        long millis = interval.toMillis() + server.configuration().getTimeout();
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** Ends the loop: IDLE is ended with DONE, the connection closed; does not wait for a dead connection's timeout. */
    public void stop() {
        running = false;
        IMAPFolder folder = idling;
        if (folder != null) {
            timer.execute(() -> endIdle(folder));
        }
    }
}
