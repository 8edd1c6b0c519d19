package io.mailbridge.imap.sync;

import java.util.concurrent.atomic.LongAdder;

/** What a consumer's polls did since it started. */
public final class PollStatistics {
    final LongAdder idlePolls = new LongAdder();
    final LongAdder searches = new LongAdder();
    final LongAdder fetches = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder idlePollNanos = new LongAdder();
    final LongAdder spooled = new LongAdder();

    /** Polls that ended at the UIDNEXT check: nothing new, no SEARCH sent. */
    public long idlePolls() {
        return idlePolls.sum();
    }

    /** Mean wall time of an idle poll of one folder (EXAMINE to CLOSE), in milliseconds. */
    public double meanIdlePollMillis() {
        long n = idlePolls();
        return n == 0 ? 0 : idlePollNanos.sum() / 1e6 / n;
    }

    /** UID SEARCH commands sent. */
    public long searches() {
        return searches.sum();
    }

    /** UID FETCH commands sent (one per chunk). */
    public long fetches() {
        return fetches.sum();
    }

    /** Messages above maxInlineBytes, fetched in pieces into a temp file. */
    public long spooled() {
        return spooled.sum();
    }

    /** Messages whose exchange completed. */
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public String toString() {
        return "idlePolls=" + idlePolls() + String.format(" (%.2f ms each)", meanIdlePollMillis()) + " searches=" + searches() + " fetches=" + fetches() + " delivered=" + delivered() + " spooled=" + spooled();
    }
}
