package io.mailbridge.support;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's own RabbitMQ at 127.0.0.1:5672 (guest/guest), which .ci/run starts. Skipped locally
 * when it is not running; on CI (CI=true) that is an error.
 */
public final class RabbitMqBroker {

    private RabbitMqBroker() {
    }

    /** A connection for the test's own reading and cleanup. */
    public static Connection connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        try {
            return f.newConnection("mailbridge test");
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("RabbitMQ is not running on 127.0.0.1:5672: .ci/run must start it", e);
            }
            Assumptions.abort("RabbitMQ is not running on 127.0.0.1:5672 (rabbitmq-server -detached): " + e.getMessage());
            throw e;
        }
    }
}
