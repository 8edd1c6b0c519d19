package io.mailbridge.imap.sync;

import io.mailbridge.config.Durations;


import java.util.Locale;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one folder sync for people watching a backfill: every {@code every} nanoseconds a line
 * such as {@code support/INBOX 12,400/100,000 (12%) 3,100 msg/s ETA 25s}, and a summary at the end.
 * Syncs that deliver a handful of messages only get the summary.
 */
public final class SyncProgress {

    private static final Logger LOG = LoggerFactory.getLogger(SyncProgress.class);
    static final long DEFAULT_EVERY_NANOS = 5_000_000_000L;

    private final String name;
    private final int total;
    private final long everyNanos;
    private final LongSupplier clock;
    private final long started;
    private long lastReport;

    public SyncProgress(String name, int total, long everyNanos, LongSupplier clock, long started) {
        this.name = name;
        this.total = total;
        this.everyNanos = everyNanos;
        this.clock = clock;
        this.started = started;
        this.lastReport = started;
    }

    /** For a sync that began at {@code startedNanos} (System.nanoTime) and found {@code total} messages to deliver. */
    public static SyncProgress start(String account, String folder, int total, long startedNanos) {
        return new SyncProgress(account + "/" + folder, total, DEFAULT_EVERY_NANOS, System::nanoTime, startedNanos);
    }

    /** Called as records complete; logs when the interval has passed since the last line. */
    public void delivered(long done) {
        long now = clock.getAsLong();
        if (now - lastReport < everyNanos) {
            return;
        }
        lastReport = now;
        LOG.info("{}", line(done, now));
    }

    public long remaining(long done) {
        return Math.max(0, total - done);
    }

    public String line(long done, long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = done / seconds;
        String eta = rate <= 0 ? "?" : Durations.words((long) ((total - done) / rate * 1000));
        return String.format(Locale.ROOT, "%s %,d/%,d (%d%%) %,.0f msg/s ETA %s", name, done, total,
                total == 0 ? 100 : done * 100 / total, rate, eta);
    }

    /** The closing line of a sync: what it delivered, its UID range, how long and how fast. */
    public String summary(long done, long firstUid, long lastUid, boolean completed) {
        double seconds = (clock.getAsLong() - started) / 1e9;
        return String.format(Locale.ROOT, "%s: %,d new, uid %d..%d, %s, %,.0f msg/s%s", name, done, firstUid, lastUid,
                seconds < 10 ? Math.round(seconds * 1000) + " ms" : String.format(Locale.ROOT, "%.1f s", seconds),
                seconds <= 0 ? 0 : done / seconds, completed ? "" : " (stopped early; resumes from the checkpoint)");
    }
}
