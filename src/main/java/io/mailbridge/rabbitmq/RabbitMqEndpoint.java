package io.mailbridge.rabbitmq;

import com.rabbitmq.client.Channel;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** One exchange (producer) or queue (consumer) on one broker; see {@link RabbitMqComponent}. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "rabbitmq", title = "RabbitMQ (mailbridge)",
        syntax = "rabbitmq:exchange", category = {Category.MESSAGING})
public class RabbitMqEndpoint extends DefaultEndpoint {

    /** Header: the AMQP {@code message_id} to publish with; set from a delivery's on consume. */
    public static final String MESSAGE_ID = "rabbitmq.MESSAGE_ID";

    @UriPath(description = "The exchange to publish to; default (or empty) is the broker's default exchange, which routes by queue name")
    @Metadata(required = true)
    private final String exchangeName;
    @UriParam(description = "Routing key to publish with")
    private String routingKey;
    @UriParam(description = "A durable queue to consume from, or to declare and bind to the exchange for publishing")
    private String queue;
    @UriParam(defaultValue = "true", description = "Declare the queue (durable) and bind it to the exchange with the routing key")
    private boolean declare = true;
    @UriParam(defaultValue = "1", label = "consumer", description = "Unacknowledged deliveries the consumer holds at most")
    private int prefetch = 1;
    @UriParam
    private final RabbitMqConfiguration configuration;

    RabbitMqEndpoint(String uri, RabbitMqComponent component, String exchangeName, RabbitMqConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        this.exchangeName = "default".equals(exchangeName) || "amq.default".equals(exchangeName) ? "" : exchangeName;
    }

    @Override
    public Producer createProducer() {
        return new RabbitMqProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("rabbitmq: consuming needs ?queue=<name> in " + getEndpointUri());
        }
        RabbitMqConsumer consumer = new RabbitMqConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Declares the durable queue and, for a named exchange, binds it with the routing key. */
    void declareQueue(Channel channel) throws Exception {
        if (!declare || queue == null || queue.isBlank()) {
            return;
        }
        channel.queueDeclare(queue, true, false, false, null);
        if (!exchangeName.isEmpty()) {
            channel.queueBind(queue, exchangeName, effectiveRoutingKey());
        }
    }

    /** The routing key; on the default exchange it defaults to the queue's name. */
    String effectiveRoutingKey() {
        if (routingKey != null) {
            return routingKey;
        }
        return queue != null ? queue : "";
    }

    /** {@code host:port/vhost}, for log lines; never the credentials. */
    String describe() {
        return configuration.describe() + " exchange '" + exchangeName + "'";
    }

    public String getExchangeName() {
        return exchangeName;
    }

    public String getRoutingKey() {
        return routingKey;
    }

    public void setRoutingKey(String routingKey) {
        this.routingKey = routingKey;
    }

    public String getQueue() {
        return queue;
    }

    /** Producer: a durable queue to declare and bind on start. Consumer: the queue to read. */
    public void setQueue(String queue) {
        this.queue = queue;
    }

    public boolean isDeclare() {
        return declare;
    }

    /** Whether to declare (and bind) {@code queue} on start; false when the broker's topology is managed elsewhere. */
    public void setDeclare(boolean declare) {
        this.declare = declare;
    }

    public int getPrefetch() {
        return prefetch;
    }

    /** Consumer: unacknowledged deliveries the broker hands over at once. */
    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    /** Host, port, credentials, virtual host and connect timeout: the component's, overridden by this URI's. */
    public RabbitMqConfiguration getConfiguration() {
        return configuration;
    }
}
