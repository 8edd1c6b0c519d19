package io.mailbridge.imap.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of fetched messages held in memory at once, summed over every account of the component: a
 * fetch thread takes its segment's bytes before the UID FETCH and each message gives its share back
 * when its delivery is done. Without it each account holds up to two fetched segments, the batch
 * being mapped and its sends in flight, so 50 accounts of 55 KB mail needed ~800 MB and ran out of a
 * 256 MB heap (bench/accounts.sh, PROFILE=mixed ACCOUNTS=50). One account alone is not slowed: the
 * default (a quarter of the heap) is several times what one account holds.
 */
public final class PrefetchBudget {

    /** Bytes taken for one fetched segment; its messages give them back one by one, each at most once. */
    public static final class Lease {
        private final PrefetchBudget budget;
        private final AtomicLong held;

        private Lease(PrefetchBudget budget, long bytes) {
            this.budget = budget;
            this.held = new AtomicLong(bytes);
        }

        /** Gives back up to {@code bytes} (never more than the lease still holds). */
        public void release(long bytes) {
            long want = Math.max(0, bytes);
            long given = Math.min(held.getAndUpdate(now -> now - Math.min(now, want)), want);
            if (given > 0) {
                budget.giveBack(given);
            }
        }

        /** Keeps only {@code bytes}: what was taken for messages the server did not return goes back now. */
        public void keepOnly(long bytes) {
            release(held.get() - bytes);
        }
    }

    private final long capacity;
    private long available;

    /** @param capacity bytes; 0 or less means a quarter of the maximum heap */
    public PrefetchBudget(long capacity) {
        this.capacity = capacity > 0 ? capacity : Runtime.getRuntime().maxMemory() / 4;
        this.available = this.capacity;
    }

    public long capacity() {
        return capacity;
    }

    public synchronized long available() {
        return available;
    }

    /** Waits until the bytes are free (a segment larger than the whole budget waits for all of it). */
    public Lease acquire(long bytes) throws InterruptedException {
        long wanted = Math.min(Math.max(0, bytes), capacity);
        synchronized (this) {
            while (available < wanted) {
                wait();
            }
            available -= wanted;
        }
        return new Lease(this, wanted);
    }

    private synchronized void giveBack(long bytes) {
        available += bytes;
        notifyAll();
    }
}
