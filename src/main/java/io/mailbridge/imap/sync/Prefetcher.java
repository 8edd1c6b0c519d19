package io.mailbridge.imap.sync;

import io.mailbridge.imap.protocol.FetchMode;
import io.mailbridge.imap.protocol.FetchedMessage;
import io.mailbridge.imap.protocol.MessageSpool;
import io.mailbridge.imap.protocol.PrefetchBudget;
import io.mailbridge.imap.protocol.UidCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the messages of one sync on its own thread, a segment ahead of delivery, so the IMAP
 * connection and the CPUs are busy at the same time. The hand-over queue holds two segments, which
 * bounds memory; a delivery that waits (a sink outage) so also stops fetching.
 */
public final class Prefetcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Prefetcher.class);

    /** Upper bound of message bytes one UID FETCH may bring into memory. */
    private static final long FETCH_BUDGET_BYTES = 16L * 1024 * 1024;

    /**
     * What the fetch thread hands over: fetched messages, or the end of a chunk (chunkLastUid: all UIDs
     * up to it were fetched, even those expunged meanwhile), or the end of everything (messages null),
     * or the error that stopped fetching.
     */
    public record Batch(List<FetchedMessage> messages, long chunkLastUid, Exception error) {
        boolean isEnd() {
            return messages == null && error == null;
        }
    }

    /** A run of UIDs fetched with one command (bytes: their RFC822.SIZE sum), or one large message spooled to disk. */
    private record Segment(List<Long> uids, boolean spool, long bytes) {
    }

    private final IMAPFolder folder;
    private final FetchMode fetchMode;
    private final int fetchSize;
    private final long maxInlineBytes;
    private final PollStatistics statistics;
    private final PrefetchBudget budget;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2);
    private Future<?> task;

    public Prefetcher(IMAPFolder folder, SyncOptions options, PollStatistics statistics) {
        this.folder = folder;
        this.fetchMode = options.fetchMode();
        this.fetchSize = options.fetchSize();
        this.maxInlineBytes = options.maxInlineBytes();
        this.statistics = statistics;
        this.budget = options.prefetchBudget();
    }

    /** Starts fetching these UIDs (ascending) on the given single-thread pool. */
    public Prefetcher start(ExecutorService fetchPool, List<Long> uids) {
        task = fetchPool.submit(() -> fetchAll(uids));
        return this;
    }

    /** The next batch, in UID order; waits for the fetch thread. */
    public Batch next() throws Exception {
        Batch batch = queue.take();
        if (batch.error() != null) {
            throw batch.error();
        }
        return batch;
    }

    /** Stops the fetch thread and deletes what it fetched but nobody took. */
    @Override
    public void close() {
        if (task != null) {
            task.cancel(true);
            try {
                task.get();
            } catch (CancellationException | ExecutionException e) {
                // stopped, as asked
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Batch left : queue) {
            if (left.messages() != null) {
                left.messages().forEach(FetchedMessage::discard);
            }
        }
        queue.clear();
    }

    private void fetchAll(List<Long> uids) {
        try {
            for (int i = 0; i < uids.size(); i += fetchSize) {
                List<Long> chunk = uids.subList(i, Math.min(uids.size(), i + fetchSize));
                for (Segment segment : plan(chunk)) {
                    put(fetch(segment));
                }
                queue.put(new Batch(List.of(), chunk.get(chunk.size() - 1), null));
            }
            queue.put(new Batch(null, 0, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the sync stopped early
        } catch (Exception | Error e) {
            // an Error too (out of memory): the sync waiting in next() must hear of it, or it waits forever
            handOver(e instanceof Exception ex ? ex : new IllegalStateException("fetching failed: " + e, e));
        }
    }

    /** Queues the failure behind what the sync has not taken yet; only a stopped sync (interrupt) misses it. */
    private void handOver(Exception failure) {
        try {
            queue.put(new Batch(null, 0, failure));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            LOG.debug("Fetch failed after the sync stopped", failure);
        }
    }

    private List<FetchedMessage> fetch(Segment segment) throws Exception {
        statistics.fetches.increment();
        if (segment.spool()) {
            statistics.spooled.increment();
            return List.of(MessageSpool.spool(folder, segment.uids().get(0)));
        }
        PrefetchBudget.Lease lease = budget.acquire(segment.bytes()); // waits while other fetches hold the memory
        List<FetchedMessage> fetched;
        try {
            fetched = UidCommands.fetch(folder, segment.uids(), fetchMode);
        } catch (Exception | Error e) {
            lease.keepOnly(0);
            throw e;
        }
        lease.keepOnly(fetched.stream().mapToLong(FetchedMessage::heapBytes).sum());
        return fetched.stream().map(m -> m.heldUnder(lease)).toList();
    }

    private void put(List<FetchedMessage> messages) throws InterruptedException {
        try {
            queue.put(new Batch(messages, 0, null));
        } catch (InterruptedException e) {
            messages.forEach(FetchedMessage::discard);
            throw e;
        }
    }

    /**
     * Splits a chunk so that no FETCH holds more than {@link #FETCH_BUDGET_BYTES} and no message above
     * maxInlineBytes is held whole in memory: those are spooled. Costs one {@code UID FETCH (UID
     * RFC822.SIZE)} per chunk; skipped when only headers are fetched.
     */
    private List<Segment> plan(List<Long> chunk) throws MessagingException {
        if (fetchMode == FetchMode.HEADERS) {
            return List.of(new Segment(chunk, false, 0));
        }
        Map<Long, Long> sizes = UidCommands.sizes(folder, chunk);
        List<Segment> segments = new ArrayList<>();
        List<Long> batch = new ArrayList<>();
        long batchBytes = 0;
        for (long uid : chunk) {
            long size = sizes.getOrDefault(uid, 0L);
            boolean spool = size > maxInlineBytes;
            if (!batch.isEmpty() && (spool || batchBytes + size > FETCH_BUDGET_BYTES)) {
                segments.add(new Segment(List.copyOf(batch), false, batchBytes));
                batch.clear();
                batchBytes = 0;
            }
            if (spool) {
                segments.add(new Segment(List.of(uid), true, 0));
            } else {
                batch.add(uid);
                batchBytes += size;
            }
        }
        if (!batch.isEmpty()) {
            segments.add(new Segment(List.copyOf(batch), false, batchBytes));
        }
        return segments;
    }
}
