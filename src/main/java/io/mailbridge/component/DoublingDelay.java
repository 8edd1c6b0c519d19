package io.mailbridge.component;

import java.time.Duration;

/**
 * The one back-off rule of mailbridge: the first delay, doubled after each failure in a row, never more
 * than the maximum. Used by a mailbox waiting out a failed sync or a refused login and by a record
 * waiting for its sink. (Camel's BackOffTimerTask doubles before it checks the cap, so it overshoots it.)
 */
public record DoublingDelay(Duration first, Duration max) {

    public DoublingDelay {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < first delay <= max delay, got " + first.toMillis()
                    + " ms and " + max.toMillis() + " ms");
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1, 2, 3...). */
    public Duration after(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 62));
        long delay = first.toMillis();
        for (int i = 0; i < doublings && delay < max.toMillis(); i++) {
            delay *= 2;
        }
        return Duration.ofMillis(Math.min(delay, max.toMillis()));
    }
}
