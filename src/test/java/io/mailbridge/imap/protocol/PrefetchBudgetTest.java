package io.mailbridge.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The memory budget of fetched messages: fetching waits while deliveries hold it, and bytes go back once. */
class PrefetchBudgetTest {

    @Test
    void aFetchWaitsUntilDeliveredMessagesGiveTheirBytesBack() throws Exception {
        PrefetchBudget budget = new PrefetchBudget(1000);
        PrefetchBudget.Lease first = budget.acquire(800);
        CompletableFuture<PrefetchBudget.Lease> second = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.acquire(500);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(second.isDone(), "800 of 1000 bytes held: a 500-byte fetch waits");
        first.release(300); // one delivered message of 300 bytes
        second.get(5, TimeUnit.SECONDS);
        assertEquals(0, budget.available(), "500 + 500 held");
    }

    @Test
    void aMessageDiscardedTwiceGivesItsBytesBackOnce() throws Exception {
        PrefetchBudget budget = new PrefetchBudget(1000);
        PrefetchBudget.Lease lease = budget.acquire(600);
        lease.keepOnly(400); // the server returned 400 of the 600 bytes planned (one message expunged meanwhile)
        assertEquals(600, budget.available());
        FetchedMessage message = new FetchedMessage(7, java.util.List.of(), null, 400, new byte[400], null).heldUnder(lease);
        message.discard();
        message.discard();
        assertEquals(1000, budget.available());
    }

    @Test
    void aSegmentLargerThanTheWholeBudgetWaitsForAllOfItAndNoMore() throws Exception {
        PrefetchBudget budget = new PrefetchBudget(1000);
        PrefetchBudget.Lease big = budget.acquire(5000);
        assertEquals(0, budget.available());
        big.release(5000);
        assertEquals(1000, budget.available());
        assertTrue(new PrefetchBudget(0).capacity() > 0, "0 means a quarter of the heap");
    }
}
