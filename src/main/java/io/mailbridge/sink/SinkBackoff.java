package io.mailbridge.sink;

/**
 * How long a record waits before the next try while the sink is unavailable: the first delay,
 * doubled after each failed try, never more than the maximum.
 */
public record SinkBackoff(long firstDelayMillis, long maxDelayMillis) {

    public SinkBackoff {
        if (firstDelayMillis < 1 || maxDelayMillis < firstDelayMillis) {
            throw new IllegalArgumentException("back-off needs 0 < first delay <= max delay, got "
                    + firstDelayMillis + " ms and " + maxDelayMillis + " ms");
        }
    }

    /** The wait after the {@code failedTries}-th failed try (1, 2, 3...). */
    public long delayAfter(int failedTries) {
        int doublings = Math.max(0, Math.min(failedTries - 1, 62));
        long delay = firstDelayMillis;
        for (int i = 0; i < doublings && delay < maxDelayMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayMillis);
    }
}
