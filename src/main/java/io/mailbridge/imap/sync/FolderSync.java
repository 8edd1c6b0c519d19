package io.mailbridge.imap.sync;

import io.mailbridge.imap.protocol.FetchedMessage;
import io.mailbridge.imap.protocol.ImapSession;
import io.mailbridge.imap.protocol.UidCommands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.CheckpointFencedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one folder up to date: compares the server's highest UID with the checkpoint (a folder
 * with nothing new ends there, whatever its size), applies start-from and the UIDVALIDITY policy,
 * searches {@code UID n:*}, and delivers every match in ascending UID order. {@link #sync} is the
 * one place where a folder's checkpoint advances: only over UIDs whose delivery completed, after
 * their post-action. Polling calls it, and so does every IDLE wake-up.
 */
public final class FolderSync {

    private static final Logger LOG = LoggerFactory.getLogger(FolderSync.class);

    private final SyncOptions options;
    private final SyncPlanner planner;
    private final ImapSession session;
    private final Deliveries deliveries;
    private final ParseWorkers parseWorkers;
    private final ExecutorService fetchPool;
    private final PollStatistics statistics;
    /** The changes path (mail.imap.changes), {@link ChangesPath#NONE} when off. */
    private final ChangesPath changes;
    private final Map<String, Checkpoint> checkpoints = new HashMap<>();
    /** Out-of-memory errors in a row per message (folder/uid); at {@link #OUT_OF_MEMORY_TRIES} it is dead-lettered. */
    private final Map<String, Integer> outOfMemory = new HashMap<>(); // the sync thread's own
    static final int OUT_OF_MEMORY_TRIES = 3;
    /** Each folder's highest UID at its previous sync: a higher one now is new mail. */
    private final Map<String, Long> lastSeenUid = new HashMap<>();

    public FolderSync(SyncOptions options, ImapSession session, Deliveries deliveries,
            ParseWorkers parseWorkers, ExecutorService fetchPool, PollStatistics statistics) {
        this(options, session, deliveries, parseWorkers, fetchPool, statistics, ChangesPath.NONE);
    }

    /** @param changes the changes path, run after each folder's new mail */
    public FolderSync(SyncOptions options, ImapSession session, Deliveries deliveries,
            ParseWorkers parseWorkers, ExecutorService fetchPool, PollStatistics statistics, ChangesPath changes) {
        this.changes = changes;
        this.options = options;
        this.planner = new SyncPlanner(options.account(), options.startFrom(), options.uidValidityPolicy());
        this.session = session;
        this.deliveries = deliveries;
        this.parseWorkers = parseWorkers;
        this.fetchPool = fetchPool;
        this.statistics = statistics;
    }

    /** Delivers what is new in the folder, then its changes (with mail.imap.changes); returns the records delivered. */
    public int sync(String name) throws Exception {
        int delivered = syncNewMail(name);
        changes.sync(name);
        return delivered;
    }

    private int syncNewMail(String name) throws Exception {
        long started = System.nanoTime();
        IMAPFolder folder = session.folder(name);
        long lastUid;
        try {
            lastUid = UidCommands.lastUid(folder);
        } catch (FolderClosedException e) {
            lastUid = -1;
        }
        if (lastUid < 0) {
            // closed by the server (autologout, a dead connection), or a closed folder answered from the store's
            // connection with no mailbox selected: select it again once, then carry on
            session.forget(name);
            folder = session.folder(name);
            lastUid = UidCommands.lastUid(folder);
        }
        Long previous = lastSeenUid.put(name, lastUid);
        if (previous != null && lastUid > previous) {
            deliveries.newMailFound(name); // not a backfill: mail that arrived since the previous sync
        }
        Checkpoint checkpoint = checkpoint(name);
        changes.prepare(name, folder.getUIDValidity());
        if (checkpoint != null && checkpoint.uidValidity() == folder.getUIDValidity() && lastUid >= 0
                && lastUid <= checkpoint.lastUid()) {
            deliveries.backlog(name, 0);
            statistics.idlePolls.increment();
            statistics.idlePollNanos.add(System.nanoTime() - started);
            return 0; // nothing above the checkpoint: no SEARCH, NOOP and UID FETCH * whatever the folder size
        }
        long uidNext = lastUid < 0 ? 0 : lastUid + 1;
        SyncPlanner.SearchFrom plan = plan(name, checkpoint, folder.getUIDValidity(), uidNext);
        if (plan == null) {
            return 0;
        }
        statistics.searches.increment();
        List<Long> uids = UidCommands.search(folder, plan.checkpoint().lastUid() + 1, plan.search());
        deliveries.backlog(name, uids.size());
        if (uids.isEmpty()) {
            advanceTo(name, plan.checkpoint(), uidNext);
            return 0;
        }
        return new Run(folder, name, plan).deliverAll(uids, uidNext, started);
    }

    /** The search for this sync, or null when the planner says there is nothing to fetch (its checkpoint is then saved). */
    private SyncPlanner.SearchFrom plan(String name, Checkpoint checkpoint, long uidValidity, long uidNext)
            throws Exception {
        if (SyncPlanner.uidValidityChanged(checkpoint, uidValidity)) {
            LOG.warn("UIDVALIDITY of account {} folder {} changed from {} to {}: stored UIDs are void, applying on-uidvalidity-change={}",
                    options.account(), name, checkpoint.uidValidity(), uidValidity,
                    options.uidValidityPolicy().name().toLowerCase().replace('_', '-'));
        }
        SyncPlanner.StartPoint start = planner.plan(name, checkpoint, uidValidity, uidNext, options.searchFor(name));
        if (start instanceof SyncPlanner.SearchFrom searchFrom) {
            return searchFrom;
        }
        save(name, ((SyncPlanner.SaveOnly) start).checkpoint());
        if (checkpoint == null) {
            LOG.info("{}: first start with start-from=now, skipping {} existing UIDs", name, uidNext - 1);
        }
        return null;
    }

    /** Everything below UIDNEXT was covered by the search, so the checkpoint may skip non-matching UIDs. */
    private void advanceTo(String name, Checkpoint checkpoint, long uidNext) throws Exception {
        if (uidNext > 0 && uidNext - 1 > checkpoint.lastUid()) {
            save(name, checkpoint.advance(uidNext - 1, null));
        } else if (checkpoint.lastUid() == 0) {
            save(name, checkpoint);
        }
    }

    /**
     * The folder's checkpoint: read from the store once, then kept here, since this sync is the only
     * writer for its folders. A sync with nothing new so costs no store read.
     */
    private Checkpoint checkpoint(String name) throws Exception {
        Checkpoint known = checkpoints.get(name);
        if (known == null) {
            known = options.checkpointStore().load(options.account(), name);
            if (known != null) {
                checkpoints.put(name, known);
            }
        }
        return known;
    }

    private void save(String name, Checkpoint checkpoint) throws Exception {
        options.checkpointStore().save(options.account(), name, checkpoint);
        checkpoints.put(name, checkpoint);
    }

    /**
     * Why the message could not become a record, or null. An out-of-memory error may be the load of the moment
     * (other accounts' messages in memory, seen with 50 accounts in 256 MB): it stops the sync and the message is
     * fetched again. The same message running out of memory {@value #OUT_OF_MEMORY_TRIES} times in a row cannot be
     * mapped within this heap: it goes, raw (from its spool file when large), to the dead-letter endpoint, so the
     * mailbox goes on instead of retrying for ever.
     */
    private Exception mappingOutcome(String folder, FetchedMessage message, Future<Throwable> mapping)
            throws InterruptedException {
        try {
            Exception outcome = ParseWorkers.await(mapping);
            if (!outOfMemory.isEmpty()) {
                outOfMemory.remove(folder + "/" + message.uid()); // it fitted this time
            }
            return outcome;
        } catch (ParseWorkers.SyncInterruptedError e) {
            String key = folder + "/" + message.uid();
            if (!(e.getCause() instanceof OutOfMemoryError) || outOfMemory.merge(key, 1, Integer::sum) < OUT_OF_MEMORY_TRIES) {
                throw e;
            }
            outOfMemory.remove(key);
            return new IllegalStateException("out of memory " + OUT_OF_MEMORY_TRIES + " times in a row while making a record of this " + message.size()
                    + "-byte message (maximum heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB); it is"
                    + " dead-lettered as it is so the mailbox goes on", e.getCause());
        }
    }

    /** One sync's deliveries: the fetched messages go to the route, progress follows their completion. */
    private final class Run {
        private final IMAPFolder folder;
        private final String name;
        private final SyncPlanner.SearchFrom plan;
        private final InFlightWindow window = new InFlightWindow(options.maxInFlight());
        private final List<Long> awaitingPostAction = new ArrayList<>();
        /** The flags of each message handed over, for the changes path (only with mail.imap.changes). */
        private final Map<Long, List<String>> flagsHandedOver = new HashMap<>();
        private Checkpoint progress;
        private SyncProgress report;
        private boolean unsaved;
        private boolean fenced;
        private int delivered;

        Run(IMAPFolder folder, String name, SyncPlanner.SearchFrom plan) {
            this.folder = folder;
            this.name = name;
            this.plan = plan;
            this.progress = plan.checkpoint();
        }

        int deliverAll(List<Long> uids, long uidNext, long started) throws Exception {
            report = SyncProgress.start(options.account(), name, uids.size(), started);
            boolean completed = false;
            try (Prefetcher prefetcher = new Prefetcher(folder, options, statistics).start(fetchPool, uids)) {
                for (Prefetcher.Batch batch = prefetcher.next(); canContinue(); batch = prefetcher.next()) {
                    if (batch.isEnd()) {
                        completed = true;
                        break;
                    }
                    if (batch.messages().isEmpty()) {
                        window.mark(batch.chunkLastUid()); // UIDs expunged between SEARCH and FETCH are done too
                    } else {
                        deliverBatch(batch.messages());
                    }
                    commit(false);
                }
            } finally {
                awaitThenCommit();
            }
            completed &= !window.failed();
            if (completed) {
                advanceTo(name, progress, uidNext);
            }
            LOG.info("{}", report.summary(delivered, uids.get(0), progress.lastUid(), completed));
            if (!deliveries.isRunAllowed() && window.failures() > 0) {
                LOG.info("{} folder {}: stopped with {} records the sink had not confirmed; they are read again from uid {}"
                        + " on the next start", options.account(), name, window.failures(), progress.lastUid() + 1);
            }
            return delivered;
        }

        /**
         * The deliveries handed over complete, then the checkpoint moves over them; an interrupt (a stop that could
         * not wait) still commits what completed, with the interrupt held back so the checkpoint write is not cut.
         */
        private void awaitThenCommit() throws Exception {
            boolean interrupted = false;
            try {
                window.awaitAll();
            } catch (InterruptedException e) {
                interrupted = true;
            }
            try {
                commit(true);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private boolean canContinue() {
            return !window.failed() && deliveries.isRunAllowed();
        }

        /** Starts mapping the whole batch on the parse threads, then hands the messages over one by one, in UID order. */
        private void deliverBatch(List<FetchedMessage> messages) throws InterruptedException {
            List<Exchange> exchanges = new ArrayList<>(messages.size());
            List<Future<Throwable>> mappings = new ArrayList<>(messages.size());
            for (FetchedMessage message : messages) {
                Exchange exchange = isBeforeDateFloor(message) ? null
                        : deliveries.exchangeFor(name, plan.checkpoint().uidValidity(), message);
                exchanges.add(exchange);
                mappings.add(exchange == null ? null : parseWorkers.submit(exchange));
            }
            int next = 0;
            try {
                for (; next < messages.size() && canContinue(); next++) {
                    FetchedMessage message = messages.get(next);
                    if (exchanges.get(next) == null) {
                        window.mark(message.uid());
                        message.discard();
                        continue;
                    }
                    Exception mappingFailure = mappingOutcome(name, message, mappings.get(next));
                    InFlightWindow.Entry entry = window.begin(message.uid(), message.internalDate());
                    if (changes.isOn()) {
                        flagsHandedOver.put(message.uid(), message.flags());
                    }
                    deliveries.deliver(exchanges.get(next), mappingFailure, ok -> {
                        message.discard();
                        window.done(entry, ok);
                    });
                }
            } finally {
                for (int i = next; i < messages.size(); i++) {
                    release(messages.get(i), exchanges.get(i), mappings.get(i));
                }
            }
        }

        private boolean isBeforeDateFloor(FetchedMessage message) {
            return plan.notAfterOrAt() != null && message.internalDate() != null
                    && !message.internalDate().isAfter(plan.notAfterOrAt());
        }

        private void release(FetchedMessage message, Exchange exchange, Future<Throwable> mapping) {
            if (mapping != null) {
                ParseWorkers.cancel(mapping); // a worker must be done with it before it is released
            }
            if (exchange != null) {
                deliveries.release(exchange);
            }
            message.discard();
        }

        /**
         * Takes the completed run of UIDs: post-action, then checkpoint, at every chunk end and at the
         * end of the sync (not per message: a save is a durable write).
         */
        private void commit(boolean atEnd) throws Exception {
            if (fenced) {
                return; // the lock is gone: nothing more is written (and the refusal is logged once)
            }
            InFlightWindow.Completed completed = window.drain();
            if (!completed.isEmpty()) {
                awaitingPostAction.addAll(completed.delivered());
                delivered += completed.delivered().size();
                report.delivered(delivered);
                deliveries.backlog(name, report.remaining(delivered));
                statistics.delivered.add(completed.delivered().size());
                progress = progress.advance(completed.lastUid(), completed.lastInternalDate());
                unsaved = true;
            }
            if (unsaved && (completed.reachedMarker() || atEnd)) {
                try {
                    if (options.postAction().modifiesMailbox()) {
                        // a replica that lost its lock must not touch the mailbox; the checkpoint write itself is fenced
                        options.checkpointStore().checkStillOwner(options.account());
                    }
                    List<Long> delivered = new ArrayList<>(awaitingPostAction);
                    boolean applied = applyPostAction();
                    // before the checkpoint: no message delivered is unknown to the changes path
                    changes.delivered(name, flagsOf(delivered), options.postAction(), applied);
                    save(name, progress);
                } catch (CheckpointFencedException e) {
                    fenced = true;
                    throw e;
                }
                unsaved = false;
            }
        }

        private Map<Long, List<String>> flagsOf(List<Long> delivered) {
            Map<Long, List<String>> flags = new HashMap<>();
            for (Long uid : delivered) {
                List<String> f = flagsHandedOver.remove(uid);
                if (f != null) {
                    flags.put(uid, f);
                }
            }
            return flags;
        }

        /** The post-action over the delivered run; false when the server refused it (the mailbox is unchanged). */
        private boolean applyPostAction() {
            try {
                UidCommands.apply(folder, options.postAction(), awaitingPostAction);
                return true;
            } catch (MessagingException e) {
                LOG.warn("{}: after={} failed for uid {}: {} (the records were delivered; the mailbox is unchanged)",
                        name, options.postAction(), UidCommands.uidSet(awaitingPostAction), e.getMessage());
                return false;
            } finally {
                awaitingPostAction.clear();
            }
        }
    }
}
