package io.mailbridge.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The checkpoint may only move over UIDs whose delivery was acknowledged, in UID order, whatever
 * order an asynchronous sink acknowledges them in.
 */
class InFlightWindowTest {

    private final InFlightWindow window = new InFlightWindow(10);
    private final Map<Long, InFlightWindow.Entry> entries = new HashMap<>();

    /** UID n was received at n minutes past midnight, so a drained date names its UID. */
    private static Instant dateOf(long uid) {
        return Instant.parse("2026-11-14T00:00:00Z").plusSeconds(60 * uid);
    }

    private void begin(long... uids) throws InterruptedException {
        for (long uid : uids) {
            entries.put(uid, window.begin(uid, dateOf(uid)));
        }
    }

    private void ack(long... uids) {
        for (long uid : uids) {
            window.done(entries.get(uid), true);
        }
    }

    private void fail(long uid) {
        window.done(entries.get(uid), false);
    }

    private static void assertProgress(List<Long> delivered, long lastUid, InFlightWindow.Completed completed) {
        assertEquals(delivered, completed.delivered());
        assertEquals(lastUid, completed.lastUid());
    }

    @Test
    void outOfOrderAcksAdvanceOnlyOverTheAcknowledgedRunFromTheOldestUid() throws Exception {
        begin(1, 2, 3, 4, 5);

        ack(3, 5, 1);
        InFlightWindow.Completed first = window.drain();
        assertProgress(List.of(1L), 1, first);
        assertEquals(dateOf(1), first.lastInternalDate());

        ack(2);
        InFlightWindow.Completed second = window.drain();
        assertProgress(List.of(2L, 3L), 3, second);
        assertEquals(dateOf(3), second.lastInternalDate());

        ack(4);
        assertProgress(List.of(4L, 5L), 5, window.drain());
    }

    @Test
    void noProgressWhileTheOldestDeliveryIsUnacknowledged() throws Exception {
        begin(1, 2);
        ack(2);

        InFlightWindow.Completed completed = window.drain();

        assertTrue(completed.isEmpty());
        assertProgress(List.of(), -1, completed);
    }

    @Test
    void aFailedDeliveryStopsTheAdvanceForGoodAndMarksTheWindowFailed() throws Exception {
        begin(1, 2, 3);
        ack(1);
        fail(2);
        ack(3);

        assertProgress(List.of(1L), 1, window.drain());
        assertTrue(window.failed());
        assertTrue(window.drain().isEmpty(), "nothing after the failed UID may count as progress");
    }

    @Test
    void markedUidsCountAsDoneButAreNotReportedAsDelivered() throws Exception {
        begin(1);
        window.mark(2); // filtered out, nothing to deliver
        begin(3);
        window.mark(10); // chunk end: UIDs 4..9 were expunged before the FETCH
        ack(3);
        assertTrue(window.drain().isEmpty(), "UID 1 is still in flight");

        ack(1);
        InFlightWindow.Completed completed = window.drain();

        assertProgress(List.of(1L, 3L), 10, completed);
        assertEquals(dateOf(3), completed.lastInternalDate());
        assertTrue(completed.reachedMarker());
        assertFalse(window.failed());
    }

    @Test
    void drainingOnlyDeliveriesHasNotReachedAMarker() throws Exception {
        begin(1, 2);
        ack(1, 2);

        assertFalse(window.drain().reachedMarker());
    }

    @Test
    void beginWaitsForAFreeSlotOnceCapacityDeliveriesAreInFlight() throws Exception {
        InFlightWindow small = new InFlightWindow(2);
        InFlightWindow.Entry first = small.begin(1, dateOf(1));
        small.begin(2, dateOf(2));

        CompletableFuture<InFlightWindow.Entry> third = CompletableFuture.supplyAsync(() -> {
            try {
                return small.begin(3, dateOf(3));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(third.isDone(), "a third delivery must wait while two are in flight");

        small.done(first, true);
        third.get(5, TimeUnit.SECONDS);
    }
}
