package io.mailbridge.rabbitmq;

import java.util.Map;

import org.apache.camel.Endpoint;
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
public class RabbitMqComponent extends DefaultComponent {

    private String host = "127.0.0.1";
    private int port = 5672;
    private String username = "guest";
    private String password = "guest";
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
