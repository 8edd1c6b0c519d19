package io.mailbridge.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.mailbridge.support.RabbitMqBroker;
import io.mailbridge.sink.SinkFailures;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The rabbitmq: producer against the machine's RabbitMQ: confirms awaited many at a time, unroutable refused. */
class RabbitMqProducerTest {

    @Test
    void manySendsWaitForTheirConfirmsAtOnceAndEachCompletesWhenConfirmed() throws Exception {
        String queue = "mailbridge-producer-" + UUID.randomUUID();
        int n = 300;
        try (Connection c = RabbitMqBroker.connect(); Channel ch = c.createChannel();
                DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            RabbitMqProducer producer = (RabbitMqProducer) camel.getEndpoint("rabbitmq:default?queue=" + queue).createProducer();
            producer.start();
            List<Exchange> exchanges = new ArrayList<>();
            CountDownLatch confirmed = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                Exchange e = new DefaultExchange(camel);
                e.getMessage().setBody("{\"n\":" + i + "}");
                e.getMessage().setHeader(RabbitMqEndpoint.MESSAGE_ID, "m-" + i);
                exchanges.add(e);
                producer.process(e, doneSync -> confirmed.countDown());
            }
            assertTrue(confirmed.await(30, TimeUnit.SECONDS), "every send completed");
            for (Exchange e : exchanges) {
                assertNull(e.getException());
            }
            int inFlight = producer.mostInFlight();
            producer.stop();
            System.out.println("rabbitmq producer: " + n + " sends, at most " + inFlight + " awaiting their confirm at once");
            assertTrue(inFlight > 1, "confirms are awaited many at a time, not one round trip per message: " + inFlight);
            assertEquals(n, ch.messageCount(queue), "every confirmed message is on the queue");
            Set<String> ids = new HashSet<>();
            for (GetResponse m = ch.basicGet(queue, true); m != null; m = ch.basicGet(queue, true)) {
                ids.add(m.getProps().getMessageId());
            }
            assertEquals(n, ids.size());
            ch.queueDelete(queue);
        }
    }

    @Test
    void anUnroutableMessageFailsItsExchangeWithTheBrokersReason() throws Exception {
        String nowhere = "no-queue-" + UUID.randomUUID();
        try (Connection c = RabbitMqBroker.connect(); DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            Exchange result = camel.createProducerTemplate().send("rabbitmq:amq.direct?routingKey=" + nowhere,
                    e -> e.getMessage().setBody("{}"));
            // a refusal of this one record (dead-lettered by inbound-errors), with the broker's answer as its cause
            RabbitMqUnroutableException record = assertInstanceOf(RabbitMqUnroutableException.class, result.getException());
            assertTrue(SinkFailures.isPermanentRefusal(record), "the sink's rules dead-letter it rather than retry");
            RabbitMqRefusedException refused = assertInstanceOf(RabbitMqRefusedException.class, record.getCause());
            assertTrue(refused.isUnroutable());
            assertTrue(refused.getMessage().contains("312 NO_ROUTE"), refused.getMessage());
        }
    }
}
