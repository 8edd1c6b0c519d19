package io.mailbridge.imap.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The schedule of attempts after failures, on a clock the test moves. */
class BackoffTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T04:00:00Z"));

    /** At the defaults (poll-delay 5s, max-login-backoff 10m) a wrong password is tried at most 5 times in a minute. */
    @Test
    void refusedLoginsAtTheDefaultsAreAtMostFiveAttemptsInTheFirstMinute() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(10), now::get);
        Instant start = now.get();
        int attempts = 0;
        // the poll timer fires every 5 s; an attempt happens on the first tick the back-off allows
        for (Instant tick = start; tick.isBefore(start.plusSeconds(60)); tick = tick.plusSeconds(5)) {
            now.set(tick);
            if (backoff.isDue()) {
                attempts++;
                backoff.failed(Backoff.Kind.LOGIN_REFUSED);
            }
        }
        assertEquals(4, attempts, "attempts at 0, 5, 15 and 35 s; the next at 75 s");
        assertTrue(attempts <= 5);
    }

    @Test
    void waitsDoubleUpToTheirCapWhichDependsOnTheKindOfFailure() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(10), now::get);
        assertEquals(Duration.ofSeconds(5), backoff.delayAfter(1, Backoff.Kind.OTHER));
        assertEquals(Duration.ofSeconds(40), backoff.delayAfter(4, Backoff.Kind.OTHER));
        assertEquals(Duration.ofMinutes(5), backoff.delayAfter(20, Backoff.Kind.OTHER));
        assertEquals(Duration.ofMinutes(10), backoff.delayAfter(20, Backoff.Kind.LOGIN_REFUSED));
        assertEquals(Duration.ofMinutes(10), backoff.delayAfter(1000, Backoff.Kind.LOGIN_REFUSED));
    }

    @Test
    void aSuccessEndsTheWait() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(10), now::get);
        backoff.failed(Backoff.Kind.OTHER);
        backoff.failed(Backoff.Kind.OTHER);
        assertFalse(backoff.isDue());
        assertEquals(2, backoff.failures());
        backoff.succeeded();
        assertTrue(backoff.isDue());
        assertEquals(Duration.ofSeconds(5), backoff.failed(Backoff.Kind.OTHER));
    }
}
