package io.mailbridge.rabbitmq;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a queue with manual acks: a delivery is acked only after the route completed it, and
 * nacked back onto the queue when the route failed, so a crash or failure means it is read again.
 * A lost connection is reopened every few seconds until the broker is back.
 */
public class RabbitMqConsumer extends org.apache.camel.support.DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqConsumer.class);
    private static final long RECONNECT_MILLIS = 5_000;

    private final RabbitMqEndpoint endpoint;
    private volatile Connection connection;
    private volatile boolean running;
    private ScheduledExecutorService reconnector;
    private boolean warned;

    RabbitMqConsumer(RabbitMqEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        // Camel's own scheduler thread, shut down with the consumer
        reconnector = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "rabbitmq-consumer-" + endpoint.getQueue());
        reconnector.scheduleWithFixedDelay(this::keepConnected, 0, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (reconnector != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(reconnector);
            reconnector = null;
        }
        Connection c = connection;
        if (c != null && c.isOpen()) {
            c.close(5_000);
        }
        super.doStop();
    }

    /** Every few seconds: subscribes again when the connection is gone (one WARN until it works again). */
    private void keepConnected() {
        Connection c = connection;
        if (!running || c != null && c.isOpen()) {
            return;
        }
        try {
            subscribe();
            warned = false;
        } catch (Exception e) {
            if (!warned) {
                LOG.warn("Cannot read RabbitMQ queue '{}' on {}: {}; retrying every {} s", endpoint.getQueue(),
                        endpoint.describe(), RabbitMqRefusedException.describe(e), RECONNECT_MILLIS / 1000);
                warned = true;
            }
        }
    }

    private void subscribe() throws Exception {
        Connection c = endpoint.getConfiguration().connect("consumer " + endpoint.getQueue());
        try {
            Channel channel = c.createChannel();
            endpoint.declareQueue(channel);
            channel.basicQos(endpoint.getPrefetch());
            channel.basicConsume(endpoint.getQueue(), false, new Delivery(channel));
        } catch (Exception e) {
            c.abort(); // not left open behind a failed subscription, once per retry
            throw e;
        }
        connection = c;
        if (!running) {
            c.abort(); // stopped while subscribing: no deliveries after the stop
            return;
        }
        LOG.info("Reading RabbitMQ queue '{}' on {}", endpoint.getQueue(), endpoint.describe());
    }

    /** Runs the route for one delivery on the client's dispatch thread, then acks or requeues it. */
    private final class Delivery extends com.rabbitmq.client.DefaultConsumer {

        Delivery(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(body);
            if (properties.getHeaders() != null) {
                for (Map.Entry<String, Object> h : properties.getHeaders().entrySet()) {
                    exchange.getMessage().setHeader(h.getKey(), h.getValue() == null ? null : h.getValue().toString());
                }
            }
            exchange.getMessage().setHeader(RabbitMqEndpoint.MESSAGE_ID, properties.getMessageId());
            exchange.getMessage().setHeader("rabbitmq.REDELIVERED", envelope.isRedeliver());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() == null) {
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            } else {
                getChannel().basicNack(envelope.getDeliveryTag(), false, true);
                getExceptionHandler().handleException("Request from RabbitMQ queue '" + endpoint.getQueue()
                        + "' failed, returned to the queue", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
            if (running && !sig.isInitiatedByApplication()) {
                LOG.warn("RabbitMQ queue '{}': connection lost ({}); reconnecting", endpoint.getQueue(),
                        RabbitMqRefusedException.describe(sig));
            }
        }
    }
}
