package io.mailbridge.imap.component;

import io.mailbridge.imap.changes.ChangeTracker;
import io.mailbridge.imap.operations.AccountHealth;
import io.mailbridge.imap.operations.Backoff;
import io.mailbridge.imap.sync.ChangesPath;
import io.mailbridge.imap.sync.FolderSync;
import io.mailbridge.imap.sync.IdleWatcher;
import io.mailbridge.imap.sync.IdleWatchers;
import io.mailbridge.imap.operations.ImapMetrics;
import io.mailbridge.imap.protocol.ImapSession;
import io.mailbridge.imap.sync.ParseWorkers;
import io.mailbridge.imap.sync.PollStatistics;
import io.mailbridge.imap.protocol.PostAction;
import io.mailbridge.imap.operations.SyncFailures;
import io.mailbridge.imap.sync.SyncOptions;
import io.mailbridge.imap.sync.UidValidityChangedException;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.mailbridge.checkpoint.CheckpointFencedException;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs each configured folder with a {@link FolderSync} and hands every message to the route as
 * the finished record, in ascending UID order. The checkpoint moves only over messages whose route
 * completed (sink confirmed, or dead-lettered). A message that cannot become a record goes, raw, to
 * the route's error handler, which dead-letters it (see {@link RouteDeliveries}).
 *
 * <p>Syncs run when the poll timer fires and, where the server has IDLE, when an {@link IdleWatcher}
 * wakes a folder; one lock keeps them from running at the same time. A failed sync is logged as one
 * line and the account waits ({@link Backoff}) before the next attempt, longer after a refused login.
 */
public class ImapUidConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ImapUidConsumer.class);

    private final ImapUidEndpoint endpoint;
    private final SyncOptions options;
    private final PollStatistics statistics = new PollStatistics();
    private ImapSession session;
    private ExecutorService fetchPool;
    private FolderSync folderSync;
    private final ReentrantLock syncLock = new ReentrantLock();
    private AccountHealth health;
    private ImapMetrics metrics;
    private SyncFailures failures;
    private IdleWatchers idle;
    private ExecutorService changesThread;
    private ChangeTracker changes;

    public ImapUidConsumer(ImapUidEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.options = endpoint.syncOptions();
    }

    /** Counters of what the polls did, for tests, benchmarks and operators. */
    public PollStatistics statistics() {
        return statistics;
    }

    @Override
    protected void doStart() throws Exception {
        session = new ImapSession(options.server(), options.postAction().modifiesMailbox());
        if (options.postAction().kind() == PostAction.Kind.FLAG) {
            try {
                session.checkKeywordsAllowed(options.folders(), options.postAction().toString());
            } finally {
                session.close();
            }
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        fetchPool = executors.newSingleThreadExecutor(this, "mailbridge-fetch");
        int parseThreads = endpoint.getConfiguration().getParseThreads();
        ExecutorService parsePool = endpoint.getMapper() != null && parseThreads > 0
                ? ((ImapUidComponent) endpoint.getComponent()).parsePool(parseThreads) : null;
        String address = options.server().address();
        health = new AccountHealth(getRouteId(), options.account(), address);
        idle = new IdleWatchers(options, executors, this, this::syncWokenFolder, this::mayHandOver,
                folder -> metrics.idleMissed(folder));
        metrics = ImapMetrics.register(getEndpoint().getCamelContext(), options.account(), options.folders(), idle::isIdling);
        metrics.countRefusals(options.server().login());
        folderSync = new FolderSync(options, session, new RouteDeliveries(this, options, metrics),
                new ParseWorkers(endpoint.getMapper(), parsePool), fetchPool, statistics, changeTracker(executors));
        failures = new SyncFailures(options.account(), options.server().host(), address,
                new Backoff(options.pollDelay(), options.maxBackoff(), options.maxLoginBackoff()), health, metrics);
        health.register(getEndpoint().getCamelContext());
        super.doStart();
    }

    /** The changes path (mail.imap.changes), with its own delivery thread; null when change events are off. */
    private ChangesPath changeTracker(ExecutorServiceManager executors) {
        MailboxConfiguration c = endpoint.getConfiguration();
        if (!c.isChanges()) {
            return ChangesPath.NONE;
        }
        changesThread = executors.newSingleThreadExecutor(this, "mailbridge-changes");
        changes = new ChangeTracker(options.account(), options.checkpointStore(), new ImapSession(options.server(), false),
                c.getChangesScanInterval(), new RouteChanges(this, changesThread, metrics));
        idle.onChange(changes::woken);
        return changes;
    }

    /**
     * Under a cluster service Camel's master: consumer creates this consumer without a route id: it is then the
     * route whose (master:) endpoint delegates to this one, so health checks and route stops find their route.
     */
    @Override
    public String getRouteId() {
        String id = super.getRouteId();
        if (id == null) {
            for (org.apache.camel.Route route : getEndpoint().getCamelContext().getRoutes()) {
                if (route.getEndpoint() instanceof org.apache.camel.DelegateEndpoint master && master.getEndpoint() == getEndpoint()) {
                    setRouteId(route.getRouteId());
                    return route.getRouteId();
                }
            }
        }
        return id;
    }

    @Override
    protected void doStop() throws Exception {
        // first the sync in progress ends: it hands over nothing more (isRunAllowed is false now), its deliveries
        // in flight complete and it commits the checkpoint over them. Only then the scheduler stops: stopping it
        // interrupts the poll thread, which would cut the sync off before its commit (found by GracefulStopTest)
        if (syncLock.tryLock(30, TimeUnit.SECONDS)) {
            syncLock.unlock(); // a sync that starts now sees the stop before it hands anything over
        }
        super.doStop();
        if (idle != null) {
            idle.stop();
        }
        if (changesThread != null) {
            // a batch out at the stop ends at its first event not taken (no redelivery while stopping); what the
            // change sink acknowledged is saved, the rest is reported again on the next start
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(changesThread, 10_000);
            changesThread = null;
        }
        boolean locked = syncLock.tryLock(30, TimeUnit.SECONDS);
        try {
            if (session != null) {
                session.close();
            }
            if (changes != null) {
                changes.close();
            }
        } finally {
            if (locked) {
                syncLock.unlock();
            }
        }
        if (health != null) {
            health.unregister(getEndpoint().getCamelContext());
        }
        if (metrics != null) {
            metrics.close();
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (fetchPool != null) {
            executors.shutdown(fetchPool);
            fetchPool = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        if (!failures.isDue()) {
            return 0; // waiting out a failure; the log said when the next attempt is
        }
        int delivered = syncFolders(options.folders());
        if (delivered >= 0 && endpoint.getConfiguration().isIdle() && mayHandOver()) {
            idle.start();
        }
        return Math.max(0, delivered);
    }

    /**
     * Syncs the folders, one sync at a time for this consumer (poll timer and IDLE wake-ups share the
     * one command connection and the checkpoints). Returns the records delivered, or -1 after a failure.
     */
    public int syncFolders(List<String> folders) {
        syncLock.lock();
        String current = null;
        try {
            int total = 0;
            for (String folder : folders) {
                if (!mayHandOver()) {
                    break;
                }
                current = folder;
                total += folderSync.sync(folder);
                metrics.synced(folder, System.currentTimeMillis());
            }
            failures.succeeded();
            return total;
        } catch (UidValidityChangedException e) {
            LOG.error("{} Stopping route {}.", e.getMessage(), getRouteId());
            session.close();
            stopRouteLater();
            return -1;
        } catch (CheckpointFencedException e) {
            // another replica holds this account now; the store logged the refusal, leadership moves the route
            LOG.debug("Sync ended: {}", e.getMessage());
            session.close();
            closeChanges();
            return -1;
        } catch (Exception e) {
            // a broken connection is re-opened by the next sync; progress so far is checkpointed
            session.close();
            closeChanges();
            if (mayHandOver()) {
                failures.failed(current, e);
            }
            return -1;
        } finally {
            syncLock.unlock();
        }
    }

    private void closeChanges() {
        if (changes != null) {
            changes.close();
        }
    }

    /**
     * False once the route stops, and already while Camel's graceful shutdown suspends it: isRunAllowed()
     * stays true while suspended, so a sync asking only that would hand over the whole backlog before the stop.
     * Deliveries in flight still complete and the checkpoint is committed over them.
     */
    boolean mayHandOver() {
        return isRunAllowed() && !isSuspendingOrSuspended();
    }

    /** A sync found mail that arrived since the previous one: IDLE should have announced it (IdleWatchers checks). */
    void newMailFound(String folder) {
        if (endpoint.getConfiguration().isIdle()) {
            idle.checkAnnounced(folder);
        }
    }

    /** An IDLE wake-up: the folder's sync, unless the account is waiting out a failure. */
    private void syncWokenFolder(String folder) {
        if (failures.isDue()) {
            syncFolders(List.of(folder));
        }
    }

    /** IDLE watchers, for tests and metrics. */
    public List<IdleWatcher> idleWatchers() {
        return idle.list();
    }

    /** Stopping a route waits for its consumer, so it cannot be done from the poll thread. */
    private void stopRouteLater() {
        Thread stopper = new Thread(() -> {
            try {
                getEndpoint().getCamelContext().getRouteController().stopRoute(getRouteId());
            } catch (Exception ex) {
                LOG.error("Could not stop route {}", getRouteId(), ex);
            }
        }, "mailbridge-stop-" + getRouteId());
        stopper.setDaemon(true);
        stopper.start();
    }
}
