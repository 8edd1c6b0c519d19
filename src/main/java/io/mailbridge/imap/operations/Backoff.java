package io.mailbridge.imap.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.mailbridge.component.DoublingDelay;

/**
 * When to try an account again after a failure. A refused login doubles its wait from the first
 * delay up to {@code maxLoginDelay} (servers such as Microsoft 365 lock accounts that keep retrying a
 * wrong password); any other failure (connection refused, timeouts) doubles up to {@code maxDelay}.
 * A success resets both. Thread-safe: the poll thread and IDLE threads report to one instance.
 */
public final class Backoff {

    /** What kind of failure decides how far the wait may grow. */
    public enum Kind { LOGIN_REFUSED, OTHER }

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration maxLoginDelay;
    private final Supplier<Instant> clock;
    private int failures;
    private Instant nextAttempt = Instant.MIN;

    public Backoff(Duration firstDelay, Duration maxDelay, Duration maxLoginDelay) {
        this(firstDelay, maxDelay, maxLoginDelay, Instant::now);
    }

    public Backoff(Duration firstDelay, Duration maxDelay, Duration maxLoginDelay, Supplier<Instant> clock) {
        this.firstDelay = firstDelay.isZero() || firstDelay.isNegative() ? Duration.ofSeconds(1) : firstDelay;
        this.maxDelay = maxDelay;
        this.maxLoginDelay = maxLoginDelay;
        this.clock = clock;
    }

    /** True when no failure is being waited out. */
    public synchronized boolean isDue() {
        return !clock.get().isBefore(nextAttempt);
    }

    /** Records a failure; returns how long to wait before the next attempt. */
    public synchronized Duration failed(Kind kind) {
        failures++;
        Duration delay = delayAfter(failures, kind);
        nextAttempt = clock.get().plus(delay);
        return delay;
    }

    public synchronized void succeeded() {
        failures = 0;
        nextAttempt = Instant.MIN;
    }

    /** Failures in a row so far. */
    public synchronized int failures() {
        return failures;
    }

    public synchronized Instant nextAttempt() {
        return nextAttempt;
    }

    /** The wait after the n-th failure in a row: first, 2×first, 4×first... capped ({@link DoublingDelay}). */
    public Duration delayAfter(int failure, Kind kind) {
        Duration cap = kind == Kind.LOGIN_REFUSED ? maxLoginDelay : maxDelay;
        return new DoublingDelay(firstDelay, cap.compareTo(firstDelay) < 0 ? firstDelay : cap).after(failure);
    }
}
