package io.mailbridge.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The progress and summary lines of a backfill, on a clock the test moves. */
class SyncProgressTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void progressLineGivesCountPercentRateAndEta() {
        SyncProgress progress = new SyncProgress("support/INBOX", 100_000, 5_000_000_000L, now::get, 0);
        now.set(4_000_000_000L); // 4 s
        assertEquals("support/INBOX 12,400/100,000 (12%) 3,100 msg/s ETA 28s", progress.line(12_400, now.get()));
    }

    @Test
    void summaryGivesTheRangeTimeAndRate() {
        SyncProgress progress = new SyncProgress("support/INBOX", 100_000, 5_000_000_000L, now::get, 0);
        now.set(32_000_000_000L);
        assertEquals("support/INBOX: 100,000 new, uid 1..100000, 32.0 s, 3,125 msg/s",
                progress.summary(100_000, 1, 100_000, true));
        now.set(250_000_000L);
        assertEquals("support/INBOX: 3 new, uid 7..9, 250 ms, 12 msg/s (stopped early; resumes from the checkpoint)",
                progress.summary(3, 7, 9, false));
    }
}
