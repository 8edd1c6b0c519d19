package io.mailbridge.imap.sync;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The deliveries of one sync that were handed to the route and may not have completed yet, in UID
 * order. Up to {@code capacity} are in flight at once (an asynchronous sink such as Kafka
 * acknowledges them later, from its own threads); progress is the run of completed UIDs from the
 * oldest on, so the checkpoint moves in UID order whatever order the acknowledgements arrive in.
 */
public final class InFlightWindow {

    /** One UID handed to the route, or a marker (a chunk end, a skipped UID) that is complete at once. */
    public static final class Entry {
        final long uid;
        final Instant internalDate;
        final boolean delivery;
        private volatile State state = State.PENDING;

        private Entry(long uid, Instant internalDate, boolean delivery) {
            this.uid = uid;
            this.internalDate = internalDate;
            this.delivery = delivery;
        }
    }

    private enum State { PENDING, DONE, FAILED }

    /** What became final since the last {@link #drain()}: delivered UIDs (for post-actions) and the progress. */
    public record Completed(List<Long> delivered, long lastUid, Instant lastInternalDate, boolean reachedMarker) {
        boolean isEmpty() {
            return lastUid < 0;
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private int pending;
    private int failures;

    public InFlightWindow(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** Waits for a free slot, then adds a delivery; the caller must call {@link #done} for it. */
    public synchronized Entry begin(long uid, Instant internalDate) throws InterruptedException {
        while (pending >= capacity && failures == 0) {
            wait();
        }
        Entry entry = new Entry(uid, internalDate, true);
        entries.add(entry);
        pending++;
        return entry;
    }

    /** A UID with nothing to deliver (a chunk end, a message filtered out): complete once those before it are. */
    public synchronized void mark(long uid) {
        Entry entry = new Entry(uid, null, false);
        entry.state = State.DONE;
        entries.add(entry);
    }

    /** Called once per delivery, from whatever thread completed it. */
    public synchronized void done(Entry entry, boolean ok) {
        entry.state = ok ? State.DONE : State.FAILED;
        failures += ok ? 0 : 1;
        pending--;
        notifyAll();
    }

    /** True once a delivery failed: nothing after it may count as progress in this sync. */
    public synchronized boolean failed() {
        return failures > 0;
    }

    /** Deliveries that failed (the sink did not confirm them): they are read again from the checkpoint. */
    public synchronized int failures() {
        return failures;
    }

    /** Waits until every delivery handed out has completed or failed. */
    public synchronized void awaitAll() throws InterruptedException {
        while (pending > 0) {
            wait();
        }
    }

    /** Removes and returns the completed run at the head of the window. */
    public synchronized Completed drain() {
        List<Long> delivered = new ArrayList<>();
        long lastUid = -1;
        Instant lastDate = null;
        boolean marker = false;
        while (!entries.isEmpty() && entries.peekFirst().state == State.DONE) {
            Entry entry = entries.pollFirst();
            lastUid = entry.uid;
            marker |= !entry.delivery;
            if (entry.delivery) {
                delivered.add(entry.uid);
                lastDate = entry.internalDate;
            }
        }
        return new Completed(delivered, lastUid, lastDate, marker);
    }
}
