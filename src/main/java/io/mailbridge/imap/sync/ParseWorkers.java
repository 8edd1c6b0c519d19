package io.mailbridge.imap.sync;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns fetched messages into records (the endpoint's {@code mapper}, CPU-bound) on worker threads
 * ahead of delivery, so parsing overlaps with delivery; with no threads, on the caller's thread when
 * awaited. Delivery itself stays in UID order.
 */
public final class ParseWorkers {

    private final Processor mapper;
    private final ExecutorService pool;

    /** @param pool worker threads, or null to map on the delivering thread */
    public ParseWorkers(Processor mapper, ExecutorService pool) {
        this.mapper = mapper;
        this.pool = pool;
    }

    /** Starts mapping the exchange's body; {@link #await} gives the outcome. */
    public Future<Throwable> submit(Exchange exchange) {
        if (mapper == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (pool == null) {
            return CompletableFuture.completedFuture(map(exchange));
        }
        return pool.submit(() -> map(exchange));
    }

    private Throwable map(Exchange exchange) {
        try {
            mapper.process(exchange);
            return null;
        } catch (Exception | Error e) {
            return e;
        }
    }

    /**
     * Why the message could not become a record, or null when it did. An Error (out of memory) says
     * nothing about the message: it is not a mapping failure to dead-letter, the sync stops instead
     * and the message is fetched again from the checkpoint.
     */
    public static Exception await(Future<Throwable> mapping) throws InterruptedException {
        Throwable outcome;
        try {
            outcome = mapping.get();
        } catch (ExecutionException e) {
            outcome = e.getCause();
        }
        if (outcome instanceof Error error) {
            throw new SyncInterruptedError(error);
        }
        return (Exception) outcome;
    }

    /** A mapping died of an Error: ends the sync (logged, backed off, retried from the checkpoint). */
    public static final class SyncInterruptedError extends RuntimeException {
        SyncInterruptedError(Error cause) {
            super("record mapping failed with " + cause + "; the sync stops and the message is fetched again", cause);
        }
    }

    /** Cancels a mapping not yet started and waits for one running, so the exchange can be released. */
    public static void cancel(Future<Throwable> mapping) {
        mapping.cancel(false);
        try {
            mapping.get();
        } catch (CancellationException | ExecutionException e) {
            // cancelled or failed: either way no worker holds the exchange any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
