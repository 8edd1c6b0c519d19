package io.mailbridge.rabbitmq;


import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * The exchanges published on one confirm-mode channel and not yet answered, by publish sequence
 * number. The broker answers each with an ack or nack (possibly "multiple": everything up to a
 * number); an unroutable mandatory message first comes back as a {@code basic.return}, then is
 * acked, so the return is remembered and turns that ack into a failure. Callbacks run on one thread
 * of their own, in confirm order, never on the client's connection thread.
 */
final class PendingConfirms {

    private record Pending(Exchange exchange, AsyncCallback callback, String returnedBecause) {
    }

    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final ExecutorService completions;
    private final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final String destination;

    PendingConfirms(String destination) {
        this.destination = destination;
        this.completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rabbitmq-confirms");
            t.setDaemon(true);
            return t;
        });
    }

    void add(long sequence, Exchange exchange, AsyncCallback callback) {
        pending.put(sequence, new Pending(exchange, callback, null));
        mostInFlight.accumulateAndGet(pending.size(), Math::max);
    }

    /** The most messages that waited for their confirm at the same time on this channel. */
    int mostInFlight() {
        return mostInFlight.get();
    }

    void remove(long sequence) {
        pending.remove(sequence);
    }

    void acked(long sequence, boolean multiple) {
        for (Long key : answered(sequence, multiple).keySet()) {
            Pending p = pending.remove(key);
            if (p != null) {
                complete(p, p.returnedBecause() == null ? null : unroutable(p));
            }
        }
    }

    /** A refusal of this one record (no queue is bound for it): dead-lettered with the reason, not retried. */
    private RabbitMqUnroutableException unroutable(Pending p) {
        String reason = "RabbitMQ returned the message as unroutable from " + destination + ": " + p.returnedBecause();
        return new RabbitMqUnroutableException(reason, new RabbitMqRefusedException(reason, true));
    }

    void nacked(long sequence, boolean multiple) {
        for (Long key : answered(sequence, multiple).keySet()) {
            Pending p = pending.remove(key);
            if (p != null) {
                complete(p, new RabbitMqRefusedException("RabbitMQ refused the message (nack) on " + destination, false));
            }
        }
    }

    void returned(Return message) {
        Object sequence = message.getProperties().getHeaders() == null ? null
                : message.getProperties().getHeaders().get(RabbitMqProducer.SEQUENCE_HEADER);
        if (sequence instanceof Number n) {
            pending.computeIfPresent(n.longValue(), (k, p) -> new Pending(p.exchange(), p.callback(),
                    message.getReplyCode() + " " + message.getReplyText() + " (routing key '" + message.getRoutingKey() + "')"));
        }
    }

    void channelClosed(ShutdownSignalException cause) {
        failAll("RabbitMQ channel to " + destination + " closed before the broker confirmed: "
                + RabbitMqRefusedException.describe(cause));
    }

    /** Fails what is left and stops the completion thread once it has run the callbacks queued so far. */
    void shutdown() {
        failAll("producer stopped before RabbitMQ confirmed");
        completions.shutdown();
    }

    private void failAll(String reason) {
        for (Long key : pending.keySet()) {
            Pending p = pending.remove(key);
            if (p != null) {
                complete(p, new RabbitMqRefusedException(reason, false));
            }
        }
    }

    private ConcurrentNavigableMap<Long, Pending> answered(long sequence, boolean multiple) {
        return multiple ? pending.headMap(sequence, true) : pending.subMap(sequence, true, sequence, true);
    }

    private void complete(Pending p, Exception failure) {
        Runnable done = () -> {
            if (failure != null) {
                p.exchange().setException(failure);
            }
            p.callback().done(false);
        };
        if (completions.isShutdown()) {
            done.run();
        } else {
            completions.execute(done);
        }
    }
}
