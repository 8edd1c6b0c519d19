package io.mailbridge.imap.component;

import io.mailbridge.imap.sync.Deliveries;
import io.mailbridge.imap.operations.FailureDescriptions;
import io.mailbridge.imap.protocol.FetchedMessage;
import io.mailbridge.imap.operations.ImapMetrics;
import io.mailbridge.imap.sync.SyncOptions;

import java.util.List;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.record.RecordMappingException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a consumer's syncs reach its route: one exchange per fetched message with the Mailbridge*
 * headers, handed to the route asynchronously. A message the mapper failed on goes to the route raw,
 * carrying the failure as an exception marked as bridged: Camel's error handler takes it before any
 * route step runs (as camel-kafka's {@code BridgeExceptionHandlerToErrorHandler} does) and dead-letters
 * the raw bytes; the delivery completes, and the checkpoint moves, only once that write is done.
 */
public final class RouteDeliveries implements Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(RouteDeliveries.class);

    private final ImapUidConsumer consumer;
    private final SyncOptions options;
    private final ImapMetrics metrics;

    public RouteDeliveries(ImapUidConsumer consumer, SyncOptions options, ImapMetrics metrics) {
        this.consumer = consumer;
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public boolean isRunAllowed() {
        return consumer.mayHandOver();
    }

    @Override
    public void newMailFound(String folder) {
        consumer.newMailFound(folder);
    }

    @Override
    public void backlog(String folder, long messages) {
        metrics.backlog(folder, messages);
    }

    @Override
    public Exchange exchangeFor(String folder, long uidValidity, FetchedMessage message) {
        Exchange exchange = keyed(consumer, options.account(), folder, uidValidity, message.uid(), message.flags());
        var in = exchange.getMessage();
        in.setBody(message.content() != null ? message.content() : message.file());
        in.setHeader(MailbridgeHeaders.INTERNAL_DATE, message.internalDate() == null ? null : message.internalDate().toString());
        in.setHeader(MailbridgeHeaders.SIZE, message.size());
        in.setHeader(MailbridgeHeaders.FETCH, options.fetchMode().name().toLowerCase());
        return exchange;
    }

    /**
     * A new exchange with the headers a record and a change event of the same message share (key, account, folder,
     * UIDVALIDITY, UID, flags when given). The body will be UTF-8 JSON: Camel's byte/String conversions on the way (a
     * String serializer, a transform) use this charset, not org.apache.camel.default.charset, which a deployment may
     * set (KafkaCharsetTest).
     */
    static Exchange keyed(ImapUidConsumer consumer, String account, String folder, long uidValidity, long uid, List<String> flags) {
        Exchange exchange = consumer.createExchange(false);
        exchange.setProperty(ExchangePropertyKey.CHARSET_NAME, "UTF-8");
        var in = exchange.getMessage();
        in.setHeader(MailbridgeHeaders.KEY, MailbridgeHeaders.recordKey(account, folder, uidValidity, uid));
        in.setHeader(MailbridgeHeaders.ACCOUNT, account);
        in.setHeader(MailbridgeHeaders.FOLDER, folder);
        in.setHeader(MailbridgeHeaders.UID_VALIDITY, uidValidity);
        in.setHeader(MailbridgeHeaders.UID, uid);
        if (flags != null) {
            in.setHeader(MailbridgeHeaders.FLAGS, flags);
        }
        return exchange;
    }

    @Override
    public void deliver(Exchange exchange, Exception mappingFailure, DeliveryDone done) {
        if (mappingFailure != null) {
            String key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY, String.class);
            exchange.setException(new RecordMappingException("could not make a record of " + key + ": "
                    + (mappingFailure.getMessage() != null ? mappingFailure.getMessage() : mappingFailure.toString()), mappingFailure));
            // bridged: a route without a matching onException does not run its steps on it; exhausted: the error
            // handler does not redeliver it through the route (the same bytes fail the same way)
            exchange.setProperty(ExchangePropertyKey.ERRORHANDLER_BRIDGE, true);
            exchange.getExchangeExtension().setRedeliveryExhausted(true);
            LOG.debug("Mapping {} failed", key, mappingFailure);
        }
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> completed(exchange, done));
        } catch (RuntimeException | Error e) {
            // the window must hear of every delivery handed over, or the sync waits for it forever
            exchange.setException(e instanceof RuntimeException re ? re : new IllegalStateException(e.toString(), e));
            completed(exchange, done);
        }
    }

    private void completed(Exchange exchange, DeliveryDone done) {
        Exception failure = exchange.getException();
        if (failure != null) {
            logFailedDelivery(exchange, failure);
        }
        if (failure == null) {
            // handled by the route's dead-letter channel (or a message that could not become a record)
            boolean deadLettered = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT) != null;
            metrics.delivered(exchange.getMessage().getHeader(MailbridgeHeaders.FOLDER, String.class), deadLettered);
        }
        try {
            done.done(failure == null);
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    /** One line in words; the sink's own WARNs (SinkStatus) already told the story of an outage. */
    private void logFailedDelivery(Exchange exchange, Exception failure) {
        Object key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY);
        if (!consumer.mayHandOver()) {
            // the sync's one line at the stop counts these (FolderSync)
            LOG.debug("Stopped while {} was not yet delivered; it is fetched again from the checkpoint on the next start", key);
        } else {
            LOG.warn("Delivery of {} failed: {}; it is retried from the checkpoint", key, FailureDescriptions.innermostMessage(failure));
        }
        LOG.debug("Delivery of {} failed", key, failure);
    }

    @Override
    public void release(Exchange exchange) {
        consumer.releaseExchange(exchange, false);
    }
}
