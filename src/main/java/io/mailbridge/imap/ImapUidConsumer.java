package io.mailbridge.imap;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.mailbridge.checkpoint.CheckpointFencedException;
import io.mailbridge.component.MailbridgeHeaders;
import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs each configured folder with a {@link FolderSync} and hands every message to the route as
 * the finished record, in ascending UID order. The checkpoint moves only over messages whose route
 * completed (sink confirmed, or dead-lettered). A message that cannot become a record is handed over
 * raw with the reason in the {@code MailbridgeMappingError} header, for the route to dead-letter.
 *
 * <p>Syncs run when the poll timer fires and, where the server has IDLE, when an {@link IdleWatcher}
 * wakes a folder; one lock keeps them from running at the same time. A failed sync is logged as one
 * line and the account waits ({@link Backoff}) before the next attempt, longer after a refused login.
 */
public class ImapUidConsumer extends ScheduledPollConsumer implements Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(ImapUidConsumer.class);

    private final ImapUidEndpoint endpoint;
    private final SyncOptions options;
    private final PollStatistics statistics = new PollStatistics();
    private ImapSession session;
    private ExecutorService fetchPool;
    private ExecutorService parsePool;
    private FolderSync folderSync;
    private final ReentrantLock syncLock = new ReentrantLock();
    private Backoff backoff;
    private AccountHealth health;
    private ImapMetrics metrics;
    private ExecutorService idlePool;
    private ScheduledExecutorService idleTimer;
    private ExecutorService wakePool;
    private final List<IdleWatcher> watchers = new ArrayList<>();
    private final List<Future<?>> watcherRuns = new ArrayList<>();
    private final Set<String> pendingWakes = ConcurrentHashMap.newKeySet();
    private final Set<String> withoutIdle = ConcurrentHashMap.newKeySet();

    public ImapUidConsumer(ImapUidEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.options = SyncOptions.of(endpoint);
    }

    /** Counters of what the polls did, for tests, benchmarks and operators. */
    public PollStatistics statistics() {
        return statistics;
    }

    @Override
    protected void doStart() throws Exception {
        session = new ImapSession(endpoint, options.postAction().modifiesMailbox());
        if (options.postAction().kind() == PostAction.Kind.FLAG) {
            try {
                session.checkKeywordsAllowed(endpoint.folderList(), endpoint.getAfter().toString());
            } finally {
                session.close();
            }
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        fetchPool = executors.newSingleThreadExecutor(this, "mailbridge-fetch");
        if (endpoint.getMapper() != null && endpoint.getParseThreads() > 0) {
            parsePool = executors.newFixedThreadPool(this, "mailbridge-parse", endpoint.getParseThreads());
        }
        folderSync = new FolderSync(endpoint, options, session, this,
                new ParseWorkers(endpoint.getMapper(), parsePool), fetchPool, statistics);
        backoff = new Backoff(Duration.ofMillis(endpoint.getDelay()), endpoint.getMaxBackoff(),
                endpoint.getMaxLoginBackoff());
        health = new AccountHealth(getRouteId(), options.account(), server());
        metrics = ImapMetrics.register(getEndpoint().getCamelContext(), options.account(), endpoint.folderList(),
                this::isIdling);
        HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (registry != null) {
            registry.register(health);
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        stopIdle();
        HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
        if (registry != null && health != null) {
            registry.unregister(health);
        }
        if (metrics != null) {
            metrics.close();
        }
        // a sync in progress ends after its deliveries in flight (isRunAllowed is false now)
        boolean locked = syncLock.tryLock(30, TimeUnit.SECONDS);
        try {
            if (session != null) {
                session.close();
            }
        } finally {
            if (locked) {
                syncLock.unlock();
            }
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (parsePool != null) {
            executors.shutdown(parsePool);
            parsePool = null;
        }
        if (fetchPool != null) {
            executors.shutdown(fetchPool);
            fetchPool = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        if (!backoff.isDue()) {
            return 0; // waiting out a failure; the log said when the next attempt is
        }
        int delivered = syncFolders(endpoint.folderList());
        if (delivered >= 0 && endpoint.isIdle() && isRunAllowed()) {
            startIdleWatchers();
        }
        return Math.max(0, delivered);
    }

    /**
     * Syncs the folders, one sync at a time for this consumer (poll timer and IDLE wake-ups share the
     * one command connection and the checkpoints). Returns the records delivered, or -1 after a failure.
     */
    int syncFolders(List<String> folders) {
        syncLock.lock();
        String current = null;
        try {
            int total = 0;
            for (String folder : folders) {
                if (!isRunAllowed()) {
                    break;
                }
                current = folder;
                total += folderSync.sync(folder);
                metrics.synced(folder, System.currentTimeMillis());
            }
            succeeded();
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
            return -1;
        } catch (Exception e) {
            // a broken connection is re-opened by the next sync; progress so far is checkpointed
            session.close();
            if (isRunAllowed()) {
                failed(current, e);
            }
            return -1;
        } finally {
            syncLock.unlock();
        }
    }

    private void succeeded() {
        if (backoff.failures() > 0) {
            LOG.info("IMAP {} ({}): syncing again after {} failed attempt(s)", options.account(), server(), backoff.failures());
        }
        backoff.succeeded();
        health.succeeded();
    }

    /** One line a person can read: who, where, why in words, and when the next try is; the stack trace at DEBUG. */
    private void failed(String folder, Exception failure) {
        Duration delay = backoff.failed(FailureDescriptions.kindOf(failure));
        if (FailureDescriptions.isLoginRefused(failure)) {
            metrics.loginFailed();
        }
        String cause = FailureDescriptions.describe(failure, endpoint.getHost());
        String next = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").format(backoff.nextAttempt().atOffset(ZoneOffset.UTC));
        LOG.warn("IMAP {} folder {} ({}): {}; next try in {} at {} (attempt {} failed)", options.account(), folder, server(),
                cause, FailureDescriptions.words(delay), next, backoff.failures());
        LOG.debug("IMAP {} folder {}: failure detail", options.account(), folder, failure);
        health.failed(folder, cause, backoff.failures(), backoff.nextAttempt());
    }

    private String server() {
        return endpoint.getHost() + ":" + endpoint.effectivePort();
    }

    /**
     * One IDLE watcher per folder, started after a successful sync (so a refused login is retried by
     * the poll's back-off alone, not by every folder's connection too) and again after one ended.
     */
    private void startIdleWatchers() {
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        synchronized (watchers) {
            if (idlePool == null) {
                int folders = endpoint.folderList().size();
                idlePool = executors.newThreadPool(this, "mailbridge-idle", folders, folders);
                idleTimer = executors.newScheduledThreadPool(this, "mailbridge-idle-timer", folders);
                wakePool = executors.newSingleThreadExecutor(this, "mailbridge-idle-sync");
            }
            List<String> folders = endpoint.folderList();
            for (int i = 0; i < folders.size(); i++) {
                String folder = folders.get(i);
                boolean running = i < watcherRuns.size() && !watcherRuns.get(i).isDone();
                if (running || withoutIdle.contains(folder)) {
                    continue;
                }
                IdleWatcher watcher = new IdleWatcher(folder, endpoint, endpoint.getIdleInterval(),
                        new Backoff(Duration.ofSeconds(1), endpoint.getMaxBackoff(),
                                endpoint.getMaxLoginBackoff()),
                        idleTimer, idleListener());
                setAt(watchers, i, watcher);
                setAt(watcherRuns, i, idlePool.submit(watcher));
            }
        }
    }

    private static <T> void setAt(List<T> list, int index, T value) {
        if (index < list.size()) {
            list.set(index, value);
        } else {
            list.add(value);
        }
    }

    private IdleWatcher.Listener idleListener() {
        return new IdleWatcher.Listener() {
            @Override
            public void wake(String folder) {
                requestSync(folder);
            }

            @Override
            public void idleUnsupported(String folder) {
                if (withoutIdle.add(folder) && withoutIdle.size() == 1) {
                    LOG.info("IMAP {} ({}): the server does not advertise IDLE; polling every {} ms instead",
                            options.account(), server(), endpoint.getDelay());
                }
            }
        };
    }

    /** Runs a sync of the folder on the wake-up thread; wake-ups that arrive before it starts are merged into it. */
    private void requestSync(String folder) {
        if (!isRunAllowed() || !pendingWakes.add(folder)) {
            return;
        }
        try {
            wakePool.execute(() -> {
                pendingWakes.remove(folder);
                if (isRunAllowed() && backoff.isDue()) {
                    syncFolders(List.of(folder));
                }
            });
        } catch (RejectedExecutionException e) {
            pendingWakes.remove(folder); // stopping
        }
    }

    /** Ends IDLE on every folder (DONE, then logout), without waiting for a dead connection's timeout. */
    private void stopIdle() {
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        synchronized (watchers) {
            watchers.forEach(IdleWatcher::stop);
            watchers.clear();
            watcherRuns.clear();
            if (wakePool != null) {
                executors.shutdownGraceful(wakePool, 10_000);
                executors.shutdownGraceful(idleTimer, 2_000);
                executors.shutdownGraceful(idlePool, 2_000);
                wakePool = null;
                idleTimer = null;
                idlePool = null;
            }
        }
    }

    private boolean isIdling(String folder) {
        return idleWatchers().stream().anyMatch(w -> w.folder().equals(folder) && w.isConnected());
    }

    @Override
    public void backlog(String folder, long messages) {
        metrics.backlog(folder, messages);
    }

    /** Per folder meters, for tests. */
    ImapMetrics metrics() {
        return metrics;
    }

    /** IDLE watchers, for tests and metrics. */
    List<IdleWatcher> idleWatchers() {
        synchronized (watchers) {
            return List.copyOf(watchers);
        }
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

    @Override
    public Exchange exchangeFor(String folder, long uidValidity, FetchedMessage message) {
        Exchange exchange = createExchange(false);
        var in = exchange.getMessage();
        in.setBody(message.content() != null ? message.content() : message.file());
        in.setHeader(MailbridgeHeaders.KEY, options.account() + "/" + folder + "/" + uidValidity + "/" + message.uid());
        in.setHeader(MailbridgeHeaders.ACCOUNT, options.account());
        in.setHeader(MailbridgeHeaders.FOLDER, folder);
        in.setHeader(MailbridgeHeaders.UID_VALIDITY, uidValidity);
        in.setHeader(MailbridgeHeaders.UID, message.uid());
        in.setHeader(MailbridgeHeaders.FLAGS, message.flags());
        in.setHeader(MailbridgeHeaders.INTERNAL_DATE, message.internalDate() == null ? null : message.internalDate().toString());
        in.setHeader(MailbridgeHeaders.SIZE, message.size());
        in.setHeader(MailbridgeHeaders.FETCH, options.fetchMode().name().toLowerCase());
        return exchange;
    }

    @Override
    public void deliver(Exchange exchange, Exception mappingFailure, DeliveryDone done) {
        if (mappingFailure != null) {
            // the raw message goes on, marked: the route's first step hands it to its dead-letter channel
            String key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY, String.class);
            exchange.getMessage().setHeader(MailbridgeHeaders.MAPPING_ERROR, "could not make a record of " + key + ": "
                    + (mappingFailure.getMessage() != null ? mappingFailure.getMessage() : mappingFailure.toString()));
            LOG.debug("Mapping {} failed", key, mappingFailure);
        }
        try {
            getAsyncProcessor().process(exchange, doneSync -> completed(exchange, done));
        } catch (RuntimeException e) {
            exchange.setException(e);
            completed(exchange, done);
        }
    }

    private void completed(Exchange exchange, DeliveryDone done) {
        Exception failure = exchange.getException();
        if (failure != null) {
            logFailedDelivery(exchange, failure);
        }
        if (failure == null) {
            // handled by the route's dead-letter channel (or a message that could not become a record)
            boolean deadLettered = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT) != null;
            metrics.delivered(exchange.getMessage().getHeader(MailbridgeHeaders.FOLDER, String.class), deadLettered);
        }
        try {
            done.done(failure == null);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** One line in words; the sink's own WARNs (SinkStatus) already told the story of an outage. */
    private void logFailedDelivery(Exchange exchange, Exception failure) {
        Object key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY);
        if (!isRunAllowed()) {
            LOG.info("Stopped while {} was not yet delivered; it is fetched again from the checkpoint on the next start", key);
        } else {
            LOG.warn("Delivery of {} failed: {}; it is retried from the checkpoint", key, FailureDescriptions.innermostMessage(failure));
        }
        LOG.debug("Delivery of {} failed", key, failure);
    }

    @Override
    public void release(Exchange exchange) {
        releaseExchange(exchange, false);
    }
}
