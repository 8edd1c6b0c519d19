package io.mailbridge.rabbitmq;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code rabbitmq:<exchange>?routingKey=…&queue=…}: RabbitMQ over AMQP 0-9-1 on the RabbitMQ Java
 * client, with publisher confirms and mandatory routing (see {@link RabbitMqProducer}) and manual
 * acks on the consumer side (see {@link RabbitMqConsumer}). {@code default} (or an empty name) is
 * the broker's default exchange, which routes by queue name.
 *
 * <p>Connection settings here apply to every endpoint ({@code camel.component.rabbitmq.host=…});
 * the same options on an endpoint URI override them.
 */
@Component("rabbitmq")
public class RabbitMqComponent extends DefaultComponent {

    @Metadata(description = "Broker connection every endpoint starts from (host, port, username, password, virtualHost, "
            + "connectionTimeout); an endpoint URI option overrides it for that endpoint")
    private RabbitMqConfiguration configuration = new RabbitMqConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RabbitMqEndpoint endpoint = new RabbitMqEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public RabbitMqConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RabbitMqConfiguration configuration) {
        this.configuration = configuration;
    }
}
