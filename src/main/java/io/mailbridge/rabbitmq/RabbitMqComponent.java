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

    @Metadata(defaultValue = "127.0.0.1", description = "Broker host for every endpoint")
    private String host = "127.0.0.1";
    @Metadata(defaultValue = "5672", description = "Broker port for every endpoint")
    private int port = 5672;
    @Metadata(defaultValue = "guest", label = "security", secret = true, description = "User name for every endpoint")
    private String username = "guest";
    @Metadata(defaultValue = "guest", label = "security", secret = true, description = "Password for every endpoint")
    private String password = "guest";
    @Metadata(defaultValue = "/", description = "Virtual host for every endpoint")
    private String virtualHost = "/";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RabbitMqEndpoint endpoint = new RabbitMqEndpoint(uri, this, remaining);
        endpoint.setHost(host);
        endpoint.setPort(port);
        endpoint.setUsername(username);
        endpoint.setPassword(password);
        endpoint.setVirtualHost(virtualHost);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getVirtualHost() {
        return virtualHost;
    }

    public void setVirtualHost(String virtualHost) {
        this.virtualHost = virtualHost;
    }
}
