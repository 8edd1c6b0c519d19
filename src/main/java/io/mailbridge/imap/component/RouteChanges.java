package io.mailbridge.imap.component;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.imap.changes.ChangeDeliveries;
import io.mailbridge.imap.changes.ChangeEvent;
import io.mailbridge.imap.operations.ImapMetrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How change events reach the route: one exchange per event, with the record's Mailbridge* headers plus
 * {@code MailbridgeChange} and {@code MailbridgeChangeId}, handed over one at a time, in order, on the consumer's
 * own change thread. While the change sink is down the route's error handler retries there, so the sync thread
 * (new mail) is never held up by it.
 */
final class RouteChanges implements ChangeDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(RouteChanges.class);

    private final ImapUidConsumer consumer;
    private final ExecutorService thread;
    private final ImapMetrics metrics;

    RouteChanges(ImapUidConsumer consumer, ExecutorService thread, ImapMetrics metrics) {
        this.consumer = consumer;
        this.thread = thread;
        this.metrics = metrics;
    }

    @Override
    public void counted(String folder, ChangeEvent.Kind change, int events) {
        metrics.changes(folder, change.word(), events);
    }

    @Override
    public void deliver(List<ChangeEvent> events, Consumer<ChangeEvent> acknowledged, IntConsumer finished) {
        try {
            thread.execute(() -> finished.accept(deliverInOrder(events, acknowledged)));
        } catch (RejectedExecutionException e) {
            finished.accept(0); // stopping: nothing was handed over
        }
    }

    /** How many events, from the first, the change sink took; the first failure ends the batch. */
    private int deliverInOrder(List<ChangeEvent> events, Consumer<ChangeEvent> acknowledged) {
        int taken = 0;
        for (ChangeEvent event : events) {
            if (!consumer.mayHandOver()) {
                break;
            }
            Exchange exchange = exchangeFor(event);
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failure = exchange.getException();
            consumer.releaseExchange(exchange, false);
            if (failure != null) {
                LOG.debug("Change event {} not delivered", event.eventId(), failure);
                if (consumer.mayHandOver()) {
                    LOG.warn("Change event {} not delivered: {}; it is reported again", event.eventId(), failure.getMessage());
                }
                break;
            }
            taken++;
            try {
                acknowledged.accept(event);
            } catch (RuntimeException e) {
                LOG.debug("Change events of {} end here: {}", event.folder(), e.getMessage()); // the lock moved
                break;
            }
        }
        return taken;
    }

    private Exchange exchangeFor(ChangeEvent event) {
        Exchange exchange = RouteDeliveries.keyed(consumer, event.account(), event.folder(), event.uidValidity(), event.uid(),
                event.flags());
        var in = exchange.getMessage();
        in.setBody(event.json());
        in.setHeader(MailbridgeHeaders.CHANGE, event.change().word());
        in.setHeader(MailbridgeHeaders.CHANGE_ID, event.eventId());
        return exchange;
    }
}
