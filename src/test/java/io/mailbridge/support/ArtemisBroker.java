package io.mailbridge.support;

import java.net.ServerSocket;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** An embedded ActiveMQ Artemis broker in the test JVM, on a loopback TCP port, as a JMS server for mailbridge. */
public final class ArtemisBroker implements AutoCloseable {

    private final EmbeddedActiveMQ server;
    private final int port;

    private ArtemisBroker(EmbeddedActiveMQ server, int port) {
        this.server = server;
        this.port = port;
    }

    public static ArtemisBroker start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false); // in memory: durable sends are still acknowledged by the broker
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        // a request that keeps failing stays on the queue (Artemis' default drops it after 10 deliveries)
        config.addAddressSetting("#", new AddressSettings().setMaxDeliveryAttempts(-1).setRedeliveryDelay(200));
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        return new ArtemisBroker(server, port);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The properties a user writes to point mailbridge's jms: component at this broker (no Java). */
    public java.util.Map<String, String> jmsProperties() {
        return java.util.Map.of(
                "camel.beans.artemis", "#class:org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory",
                "camel.beans.artemis.brokerURL", url(),
                "camel.component.jms.connection-factory", "#bean:artemis");
    }

    public void createQueue(String name) throws Exception {
        server.getActiveMQServer().createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST)
                .setAddress(name).setDurable(true).setAutoCreated(false));
    }

    /** Messages on the queue, including those delivered but not yet acknowledged or committed. */
    public long messageCount(String queue) {
        return server.getActiveMQServer().locateQueue(queue).getMessageCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
