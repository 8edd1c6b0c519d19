package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.mailbridge.support.ArtemisBroker;
import io.mailbridge.support.FakeSmtpServer;
import io.mailbridge.support.KafkaBroker;
import io.mailbridge.support.LoggerCapture;
import io.mailbridge.support.RabbitMqBroker;
import io.mailbridge.support.RunningMailbridge;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound requests read from a Kafka topic and from a JMS queue (embedded Artemis) go through the
 * same validation and SMTP delivery as outbox files, and the read is committed only after the
 * server accepted the message or the request reached the failed destination.
 */
class QueueOutboxTest {

    static final String GOOD = "{\"to\": [\"bob@example.com\"], \"from\": \"ops@example.com\", \"subject\": \"from a queue\", \"text\": \"hi\"}";
    static final String INVALID = "{\"to\": [\"bob@example.com\"], \"subjekt\": \"typo\"}";
    static final String TEMPFAIL = "{\"to\": [\"tempfail@example.com\"], \"from\": \"ops@example.com\", \"subject\": \"later\", \"text\": \"x\"}";

    @TempDir
    Path data;

    private RunningMailbridge start(FakeSmtpServer smtp, Map<String, String> overrides) throws Exception {
        Map<String, String> props = new HashMap<>(overrides);
        props.put("mail.imap.start-from", "now");
        props.put("mail.imap.initial-delay", "1h"); // no IMAP in these tests
        props.put("mail.smtp.max-redeliveries", "1");
        return RunningMailbridge.start(data, 1, smtp.port(), "alice", "secret", props);
    }

    @Test
    void kafkaRequestsAreSentOrFailedThenCommittedAndAReReadIsNotSentTwice() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "outbox-" + UUID.randomUUID();
        String group = "mailbridge-" + topic;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()));
                FakeSmtpServer smtp = new FakeSmtpServer()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            send(kafka.bootstrap(), topic, GOOD, INVALID);
            Map<String, String> props = Map.of("mail.outbox.uri", "kafka:" + topic + "?brokers=" + kafka.bootstrap(),
                    "camel.component.kafka.group-id", group);
            try (RunningMailbridge app = start(smtp, props)) {
                RunningMailbridge.await(Duration.ofSeconds(30), () -> committed(admin, group, topic) == 2,
                        "both requests handled and their offsets committed");
            }
            assertEquals(1, smtp.accepted.size());
            String expectedId = OutboundRequestProcessor.messageId(new OutboundRequestParser("x@y", 0).parse(GOOD.getBytes()),
                    new RequestSource("", "kafka:" + topic + "-0-0\n"), GOOD.getBytes());
            assertTrue(smtp.accepted.get(0).contains("Message-ID: " + expectedId), "Message-ID from topic-partition-offset");
            Path failed = data.resolve("outbox-failed").resolve("kafka-" + topic + "-0-1");
            assertEquals(INVALID, Files.readString(failed));
            assertTrue(Files.readString(failed.resolveSibling(failed.getFileName() + ".error")).contains("subjekt"));

            // as after a crash between the SMTP accept and the commit: the group reads both requests again
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0))).all().get();
            try (RunningMailbridge again = start(smtp, props)) {
                RunningMailbridge.await(Duration.ofSeconds(30), () -> committed(admin, group, topic) == 2, "re-read and committed");
            }
            assertEquals(1, smtp.accepted.size(), "the sent ledger kept the re-read request from going out twice");
        }
    }

    @Test
    void jmsRequestsAreCommittedOnlyOnceSentOrFailed() throws Exception {
        try (ArtemisBroker artemis = ArtemisBroker.start(); FakeSmtpServer smtp = new FakeSmtpServer()) {
            artemis.createQueue("mail-outbox");
            Map<String, String> props = new HashMap<>(artemis.jmsProperties());
            props.put("mail.outbox.uri", "jms:queue:mail-outbox?transacted=true");
            try (RunningMailbridge app = start(smtp, props)) {
                sendJms(artemis.url(), "mail-outbox", GOOD, INVALID, TEMPFAIL);
                RunningMailbridge.await(Duration.ofSeconds(30), () -> smtp.accepted.size() == 1
                        && failedFiles().size() == 2, "one sent, one in the failed folder");
                Thread.sleep(3000); // the 4xx one is retried, never dropped nor failed
                assertEquals(1, artemis.messageCount("mail-outbox"), "only the request the server put off is still queued");
                assertEquals(2, failedFiles().size(), "the failed folder has the invalid request and its .error only");
            }
            assertEquals(1, artemis.messageCount("mail-outbox"), "still there after mailbridge stopped");
            assertTrue(smtp.accepted.get(0).contains("Subject: from a queue"));
        }
    }

    @Test
    void rabbitMqRequestsAreAckedOnlyOnceSentOrFailed() throws Exception {
        String queue = "mailbridge-outbox-" + UUID.randomUUID();
        try (com.rabbitmq.client.Connection c = RabbitMqBroker.connect(); Channel ch = c.createChannel();
                FakeSmtpServer smtp = new FakeSmtpServer()) {
            ch.queueDeclare(queue, true, false, false, null);
            for (String r : List.of(GOOD, INVALID, TEMPFAIL)) {
                ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        r.getBytes(StandardCharsets.UTF_8));
            }
            try (RunningMailbridge app = start(smtp, Map.of("mail.outbox.uri", "rabbitmq:default?queue=" + queue))) {
                RunningMailbridge.await(Duration.ofSeconds(30), () -> smtp.accepted.size() == 1
                        && failedFiles().size() == 2, "one sent, one in the failed folder");
                Thread.sleep(2000); // the 4xx one is retried, never dropped nor failed
                assertEquals(2, failedFiles().size());
            }
            assertEquals(1, ch.messageCount(queue), "only the request the server put off is back on the queue");
            assertEquals(1, smtp.accepted.size());
            ch.queueDelete(queue);
        }
    }

    /**
     * A request from a queue that carries its own {@code id} is logged and filed under that id (the broker's
     * id is the fallback; RabbitMQ gives none unless the publisher set message_id); one without is named after
     * the broker's id.
     */
    /** order/4712 is not a file name: the '/' becomes '_' and a hash of the id keeps order:4712 apart from it. */
    private static final String FAILED_4712 = "outbox-failed/order_4712-" + Integer.toHexString("order/4712".hashCode());

    @Test
    void aQueueRequestIsNamedAfterItsIdInTheLogAndItsCopies() throws Exception {
        String queue = "mailbridge-outbox-" + UUID.randomUUID();
        String sent = "{\"id\": \"order-4711\", \"to\": [\"bob@example.com\"], \"from\": \"ops@example.com\", \"subject\": \"s\", \"text\": \"x\"}";
        String refused = "{\"id\": \"order/4712\", \"to\": [\"reject@example.com\"], \"from\": \"ops@example.com\", \"subject\": \"r\", \"text\": \"x\"}";
        try (com.rabbitmq.client.Connection c = RabbitMqBroker.connect(); Channel ch = c.createChannel();
                FakeSmtpServer smtp = new FakeSmtpServer();
                LoggerCapture log = LoggerCapture.of("smtp-outbound", org.apache.logging.log4j.Level.INFO)) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), sent.getBytes(StandardCharsets.UTF_8));
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), refused.getBytes(StandardCharsets.UTF_8));
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).messageId("m-1").build(),
                    GOOD.getBytes(StandardCharsets.UTF_8));
            try (RunningMailbridge app = start(smtp, Map.of("mail.outbox.uri", "rabbitmq:default?queue=" + queue))) {
                RunningMailbridge.await(Duration.ofSeconds(30), () -> Files.exists(data.resolve("outbox-sent/order-4711.sent.json"))
                        && Files.exists(data.resolve("outbox-sent/amqp-m-1.sent.json"))
                        && Files.exists(data.resolve(FAILED_4712 + ".error")), "copies named after the ids");
                RunningMailbridge.await(Duration.ofSeconds(5), () -> !log.containing("Sent order-4711 as <mailbridge.").isEmpty(),
                        "the log line names the request by its id: " + log.lines());
                assertTrue(Files.readString(data.resolve(FAILED_4712 + ".error")).contains("550"));
            } finally {
                ch.queueDelete(queue);
            }
        }
    }

    private List<Path> failedFiles() {
        try (var s = Files.list(data.resolve("outbox-failed"))) {
            return s.toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static long committed(Admin admin, String group, String topic) {
        try {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0));
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void send(String bootstrap, String topic, String... requests) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String r : requests) {
                producer.send(new ProducerRecord<>(topic, r)).get();
            }
        }
    }

    private static void sendJms(String url, String queue, String... requests) throws Exception {
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url); Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue(queue));
            for (String r : requests) {
                producer.send(s.createTextMessage(r));
            }
        }
    }
}
