package io.mailbridge.imap;

import java.util.concurrent.atomic.LongAdder;

/** What a consumer's polls did since it started. */
public final class PollStatistics {
    final LongAdder idlePolls = new LongAdder();
    final LongAdder searches = new LongAdder();
    final LongAdder fetches = new LongAdder();
    final LongAdder delivered = new LongAdder();

    /** Polls that ended at the UIDNEXT check: nothing new, no SEARCH sent. */
    public long idlePolls() {
        return idlePolls.sum();
    }

    /** UID SEARCH commands sent. */
    public long searches() {
        return searches.sum();
    }

    /** UID FETCH commands sent (one per chunk). */
    public long fetches() {
        return fetches.sum();
    }

    /** Messages whose exchange completed. */
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public String toString() {
        return "idlePolls=" + idlePolls() + " searches=" + searches() + " fetches=" + fetches() + " delivered=" + delivered();
    }
}
