package io.mailbridge.imap.sync;

import io.mailbridge.config.Durations;
import io.mailbridge.imap.operations.Backoff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IDLE side of one consumer: an {@link IdleWatcher} per folder on its own connection and thread,
 * and one wake-up thread that turns their signals into syncs. Wake-ups that arrive while a sync of
 * the folder is pending are merged into it; folders on a server without IDLE are left to polling.
 */
public final class IdleWatchers {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWatchers.class);

    private final SyncOptions options;
    private final ExecutorServiceManager executors;
    private final Object owner;
    private final String account;
    private final Consumer<String> sync;
    private final BooleanSupplier runAllowed;
    private final List<IdleWatcher> watchers = new ArrayList<>();
    private final List<Future<?>> runs = new ArrayList<>();
    private final Set<String> pendingWakes = ConcurrentHashMap.newKeySet();
    private final Set<String> withoutIdle = ConcurrentHashMap.newKeySet();
    private ExecutorService idlePool;
    private ScheduledExecutorService idleTimer;
    private ExecutorService wakePool;
    private final Consumer<String> missed;
    /** When each folder's IDLE connection last announced new mail (or connected, which catches up on it). */
    private final Map<String, Instant> announced = new ConcurrentHashMap<>();
    private final Set<String> missWarned = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> changed;

    /**
     * @param sync runs a sync of one folder (on the wake-up thread); @param runAllowed false once stopping;
     * @param missed told of each new mail IDLE did not announce in time (see {@link #checkAnnounced})
     */
    public IdleWatchers(SyncOptions options, ExecutorServiceManager executors, Object owner, Consumer<String> sync,
            BooleanSupplier runAllowed, Consumer<String> missed) {
        this.missed = missed;
        this.options = options;
        this.executors = executors;
        this.owner = owner;
        this.account = options.account();
        this.sync = sync;
        this.runAllowed = runAllowed;
    }

    /** With change events: what to tell when IDLE announces a flag change or an expunge (a sync follows). */
    public void onChange(Consumer<String> changed) {
        this.changed = changed;
    }

    /**
     * Starts a watcher for every folder that has none running, after a successful sync (so a refused
     * login is retried by the poll's back-off alone, not by every folder's connection too).
     */
    public void start() {
        synchronized (watchers) {
            if (idlePool == null) {
                createPools();
            }
            List<String> folders = options.folders();
            for (int i = 0; i < folders.size(); i++) {
                String folder = folders.get(i);
                boolean running = i < runs.size() && !runs.get(i).isDone();
                if (running || withoutIdle.contains(folder)) {
                    continue;
                }
                IdleWatcher watcher = new IdleWatcher(folder, options.server(), options.idleInterval(),
                        new Backoff(Duration.ofSeconds(1), options.maxBackoff(), options.maxLoginBackoff()),
                        idleTimer, listener());
                setAt(watchers, i, watcher);
                setAt(runs, i, idlePool.submit(watcher));
            }
        }
    }

    private void createPools() {
        int folders = options.folders().size();
        idlePool = executors.newThreadPool(owner, "mailbridge-idle", folders, folders);
        idleTimer = executors.newScheduledThreadPool(owner, "mailbridge-idle-timer", folders);
        wakePool = executors.newSingleThreadExecutor(owner, "mailbridge-idle-sync");
    }

    private static <T> void setAt(List<T> list, int index, T value) {
        if (index < list.size()) {
            list.set(index, value);
        } else {
            list.add(value);
        }
    }

    private IdleWatcher.Listener listener() {
        return new IdleWatcher.Listener() {
            @Override
            public void wake(String folder) {
                announced.put(folder, Instant.now());
                requestSync(folder);
            }

            @Override
            public void changed(String folder) {
                Consumer<String> told = changed;
                if (told != null) {
                    told.accept(folder);
                    requestSync(folder);
                }
            }

            @Override
            public void idleUnsupported(String folder) {
                if (withoutIdle.add(folder) && withoutIdle.size() == 1) {
                    LOG.info("IMAP {} ({}): the server does not advertise IDLE; polling every {} ms instead",
                            account, options.server().address(), options.pollDelay().toMillis());
                }
            }
        };
    }

    /** Runs a sync of the folder on the wake-up thread; wake-ups that arrive before it starts are merged into it. */
    private void requestSync(String folder) {
        if (!runAllowed.getAsBoolean() || !pendingWakes.add(folder)) {
            return;
        }
        try {
            wakePool.execute(() -> {
                pendingWakes.remove(folder);
                if (runAllowed.getAsBoolean()) {
                    sync.accept(folder);
                }
            });
        } catch (RejectedExecutionException e) {
            pendingWakes.remove(folder); // stopping
        }
    }

    /**
     * A sync found mail that arrived since the previous one. With the folder in IDLE, its connection should
     * announce it too (EXISTS) within a second; if it announces nothing within {@code idleMissedAfter} either
     * side of now, the server's IDLE is not keeping its promise (Courier with IMAP_ENHANCEDIDLE=0 checks for
     * new mail every 60 s): counted, and one WARN per folder.
     */
    public void checkAnnounced(String folder) {
        ScheduledExecutorService timer = idleTimer;
        if (timer == null || !isIdling(folder)) {
            return;
        }
        Instant seen = Instant.now();
        Duration window = options.idleMissedAfter();
        try {
            timer.schedule(() -> {
                Instant last = announced.get(folder);
                if (isIdling(folder) && (last == null || last.isBefore(seen.minus(window)))) {
                    missed.accept(folder);
                    if (missWarned.add(folder)) {
                        LOG.warn("IMAP {} ({}) folder {}: new mail found by polling was not announced by IDLE within {}: the"
                                + " server likely checks for new mail only every so often while in IDLE (Courier:"
                                + " IMAP_ENHANCEDIDLE=1 enables its instant IDLE); new mail waits for the next poll ({})",
                                account, options.server().address(), folder, Durations.words(window.toMillis()),
                                Durations.words(options.pollDelay().toMillis()));
                    }
                }
            }, window.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Ends IDLE on every folder (DONE, then logout), without waiting for a dead connection's timeout. */
    public void stop() {
        synchronized (watchers) {
            watchers.forEach(IdleWatcher::stop);
            watchers.clear();
            runs.clear();
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

    public boolean isIdling(String folder) {
        return list().stream().anyMatch(w -> w.folder().equals(folder) && w.isConnected());
    }

    /** The watchers, for tests and metrics. */
    public List<IdleWatcher> list() {
        synchronized (watchers) {
            return List.copyOf(watchers);
        }
    }
}
