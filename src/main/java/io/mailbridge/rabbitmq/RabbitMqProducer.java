package io.mailbridge.rabbitmq;

import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each exchange as one persistent message with {@code mandatory} set, and completes the
 * exchange only when the broker answers: a publisher confirm (ack) completes it; a nack, a
 * {@code basic.return} (no queue bound for the routing key) or a lost channel fails it with the
 * broker's reason. Publishing does not wait for the confirm, so many messages can be in flight; each
 * exchange's callback runs when its own confirm arrives (see {@link PendingConfirms}).
 */
public class RabbitMqProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqProducer.class);
    /** AMQP header carrying the publish sequence number, so a returned message finds its exchange. */
    static final String SEQUENCE_HEADER = "mailbridge-publish-seq";

    private final RabbitMqEndpoint endpoint;
    private final HeaderFilterStrategy headerFilter = headerFilter();
    private Connection connection;
    private Channel channel;
    private PendingConfirms pending;

    RabbitMqProducer(RabbitMqEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        byte[] body;
        AMQP.BasicProperties.Builder properties;
        Map<String, Object> headers;
        try {
            body = exchange.getMessage().getMandatoryBody(byte[].class);
            properties = properties(exchange);
            headers = headers(exchange); // outside publish's lock
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        try {
            publish(exchange, callback, body, properties, headers);
            return false;
        } catch (Exception e) {
            exchange.setException(new RabbitMqRefusedException("could not publish to " + endpoint.describe() + ": "
                    + RabbitMqRefusedException.describe(e), e));
            callback.done(true);
            return true;
        }
    }

    /** Publishes with the channel's next sequence number added to {@code headers}, the key of its confirm. */
    private synchronized void publish(Exchange exchange, AsyncCallback callback, byte[] body,
            AMQP.BasicProperties.Builder properties, Map<String, Object> headers) throws Exception {
        if (channel == null || !channel.isOpen()) {
            open();
        }
        long sequence = channel.getNextPublishSeqNo();
        headers.put(SEQUENCE_HEADER, sequence);
        pending.add(sequence, exchange, callback);
        try {
            channel.basicPublish(endpoint.getExchangeName(), routingKey(exchange), true, properties.headers(headers).build(), body);
        } catch (Exception e) {
            pending.remove(sequence);
            throw e;
        }
    }

    /** The most messages that waited for their confirm at once on the current channel (0 before the first send). */
    public synchronized int mostInFlight() {
        return pending == null ? 0 : pending.mostInFlight();
    }

    private static AMQP.BasicProperties.Builder properties(Exchange exchange) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2) // persistent: written to disk before the broker confirms
                .contentType("application/json")
                .messageId(exchange.getMessage().getHeader(RabbitMqEndpoint.MESSAGE_ID, String.class));
    }

    /** The exchange's headers an AMQP message can carry (strings, numbers, booleans), Camel's own left out. */
    private Map<String, Object> headers(Exchange exchange) {
        Map<String, Object> headers = new HashMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (value != null && !headerFilter.applyFilterToCamelHeaders(name, value, exchange)
                    && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
                headers.put(name, value);
            }
        });
        return headers;
    }

    private String routingKey(Exchange exchange) {
        String override = exchange.getMessage().getHeader("rabbitmq.ROUTING_KEY", String.class);
        return override != null ? override : endpoint.effectiveRoutingKey();
    }

    /** Opens connection and channel in confirm mode; anything still unconfirmed on the old channel has failed already. */
    private void open() throws Exception {
        closeQuietly();
        connection = endpoint.getConfiguration().connect("producer");
        channel = connection.createChannel();
        channel.confirmSelect();
        endpoint.declareQueue(channel);
        PendingConfirms confirms = new PendingConfirms(endpoint.describe());
        channel.addConfirmListener(confirms::acked, confirms::nacked);
        channel.addReturnListener(confirms::returned);
        channel.addShutdownListener(confirms::channelClosed);
        pending = confirms;
        LOG.info("Publishing to RabbitMQ {} with publisher confirms", endpoint.describe());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        try {
            synchronized (this) {
                open();
            }
        } catch (Exception e) {
            // not fatal: the first send retries the connection, and the route's error handler waits for the broker
            LOG.warn("RabbitMQ {} not reachable at start: {}", endpoint.describe(), RabbitMqRefusedException.describe(e));
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            closeQuietly();
        }
        super.doStop();
    }

    private void closeQuietly() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close(5_000);
            }
        } catch (Exception e) {
            LOG.debug("Closing the RabbitMQ connection failed", e);
        }
        connection = null;
        channel = null;
        if (pending != null) {
            pending.shutdown();
        }
    }

    private static HeaderFilterStrategy headerFilter() {
        DefaultHeaderFilterStrategy filter = new DefaultHeaderFilterStrategy();
        // Camel's own, and the routing headers of the other queue components, stay out of the message
        filter.setOutFilterStartsWith("Camel", "camel", "org.apache.camel", "rabbitmq.", "kafka.", "JMS", "_AMQ");
        return filter;
    }
}
