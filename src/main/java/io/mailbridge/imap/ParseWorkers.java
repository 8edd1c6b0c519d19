package io.mailbridge.imap;

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
final class ParseWorkers {

    private final Processor mapper;
    private final ExecutorService pool;

    /** @param pool worker threads, or null to map on the delivering thread */
    ParseWorkers(Processor mapper, ExecutorService pool) {
        this.mapper = mapper;
        this.pool = pool;
    }

    /** Starts mapping the exchange's body; {@link #await} gives the outcome. */
    Future<Exception> submit(Exchange exchange) {
        if (mapper == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (pool == null) {
            return CompletableFuture.completedFuture(map(exchange));
        }
        return pool.submit(() -> map(exchange));
    }

    private Exception map(Exchange exchange) {
        try {
            mapper.process(exchange);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /** Why the message could not become a record, or null when it did. */
    static Exception await(Future<Exception> mapping) throws InterruptedException {
        try {
            return mapping.get();
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    /** Cancels a mapping not yet started and waits for one running, so the exchange can be released. */
    static void cancel(Future<Exception> mapping) {
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
