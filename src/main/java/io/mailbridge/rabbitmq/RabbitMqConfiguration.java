package io.mailbridge.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * How to reach the broker, declared once for the component and its endpoints, as camel-kafka's
 * {@code KafkaConfiguration} is: {@code camel.component.rabbitmq.host=…} sets the component's copy,
 * every endpoint starts from a copy of it, and the same option on an endpoint URI overrides it there.
 */
@UriParams
public class RabbitMqConfiguration implements Cloneable {

    @UriParam(defaultValue = "127.0.0.1", label = "common", description = "Broker host")
    private String host = "127.0.0.1";
    @UriParam(defaultValue = "5672", description = "Broker port")
    private int port = 5672;
    @UriParam(defaultValue = "guest", label = "security", secret = true, description = "User name")
    private String username = "guest";
    @UriParam(defaultValue = "guest", label = "security", secret = true, description = "Password")
    private String password = "guest";
    @UriParam(defaultValue = "/", description = "Virtual host")
    private String virtualHost = "/";
    @UriParam(defaultValue = "10000", description = "Connect timeout in milliseconds")
    private int connectionTimeout = 10_000;

    /** The endpoint's own copy, which its URI options then change. */
    public RabbitMqConfiguration copy() {
        try {
            return (RabbitMqConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** A new connection, named for its purpose in the broker's list; recovery is off, so a broken connection fails what is in flight and is reopened on demand. */
    Connection connect(String purpose) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(connectionTimeout);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        return factory.newConnection("mailbridge " + purpose);
    }

    /** {@code host:port/vhost}, for log lines; never the credentials. */
    String describe() {
        return host + ":" + port + virtualHost;
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

    public int getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(int connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }
}
