package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.Health;
import io.mailbridge.support.KafkaBroker;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka stopped mid-backfill for longer than the producer's own delivery timeout (shortened here to
 * 6 s), then restarted on the same port and data: mailbridge waits with its own back-off (WARN per
 * try, readiness DOWN naming the sink), dead-letters nothing, and delivers every message afterwards.
 */
class KafkaOutageTest {

    private static final int DELIVERY_TIMEOUT_MS = 6_000;
    private static final Duration OUTAGE = Duration.ofSeconds(25);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    /**
     * One send in flight, and the default window of 50 (each in-flight record then backs off on its
     * own, and acknowledgements arrive out of order); the larger window backfills faster, so it gets a
     * larger folder to be stopped in the middle of, fetched in larger chunks (GreenMail's cost per FETCH
     * grows with the folder: 6,000 messages in chunks of 10 went at ~10 msg/s).
     */
    @ParameterizedTest(name = "max-in-flight {0}, {1} messages, fetch-size {2}")
    @CsvSource({"1, 600, 10", "50, 1200, 50"})
    void aBrokerDownLongerThanTheDeliveryTimeoutIsWaitedForAndNothingIsLost(int maxInFlight, int messages, int fetchSize)
            throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        for (int i = 1; i <= messages; i++) {
            inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "message " + i,
                    "body of message " + i), new Flags(), new Date());
        }
        String topic = "outage-" + UUID.randomUUID();
        int managementPort = Health.freePort();
        try (KafkaBroker kafka = KafkaBroker.startOwn(); LogCapture log = LogCapture.of(SinkStatus.class);
                LogCapture syncLog = LogCapture.of("io.mailbridge.imap")) {
            long t0 = System.nanoTime();
            long stoppedAtUid;
            ReadinessWatch readiness = new ReadinessWatch(managementPort);
            createTopic(kafka.bootstrap(), topic); // no auto-create delay: the backfill starts flowing at once
            try (RunningMailbridge mb = start(kafka, topic, managementPort, maxInFlight, fetchSize)) {
                RunningMailbridge.await(Duration.ofSeconds(30), () -> OutageEvidence.checkpointUid(data) > 0, "the first chunk delivered");
                kafka.stop();
                long down = System.nanoTime();
                stoppedAtUid = OutageEvidence.checkpointUid(data);
                System.out.printf("kafka outage test: broker stopped at checkpoint %d after %.1f s%n", stoppedAtUid, (down - t0) / 1e9);
                RunningMailbridge.await(OUTAGE.plusSeconds(5), () -> readiness.poll() || readiness.sawDown() && log.at(Level.WARN).size() >= 3,
                        "readiness DOWN and WARN lines while Kafka is down");
                long held = OutageEvidence.checkpointUid(data);
                while (System.nanoTime() - down < OUTAGE.toNanos()) {
                    readiness.poll();
                    Thread.sleep(500);
                }
                assertEquals(held, OutageEvidence.checkpointUid(data), "the checkpoint holds while Kafka is down");
                assertTrue(held < messages, "the outage hit mid-backfill (checkpoint " + held + " of " + messages + ")");
                assertEquals(List.of(), OutageEvidence.deadLetters(data), "nothing dead-lettered while Kafka is down");
                int warnsWhileDown = log.at(Level.WARN).size();
                kafka.start();
                System.out.printf("kafka outage test: broker down %.1f s (delivery.timeout.ms %d), %d WARN lines naming %d records%n",
                        (System.nanoTime() - down) / 1e9, DELIVERY_TIMEOUT_MS, warnsWhileDown, OutageEvidence.recordsNamed(log.at(Level.WARN)));
                try {
                    RunningMailbridge.await(Duration.ofSeconds(40), () -> OutageEvidence.checkpointUid(data) == messages, "the checkpoint at the last UID");
                } catch (AssertionError e) {
                    // say where it stood: the sync's own progress lines and the delivery failures, if any
                    throw new AssertionError(e.getMessage() + " (checkpoint " + OutageEvidence.checkpointUid(data) + "); sync log: "
                            + syncLog.lines().stream().map(LogCapture.Line::message).toList(), e);
                }
                RunningMailbridge.await(Duration.ofSeconds(10), readiness::poll, "readiness UP again");
            }
            List<String> keys = keys(kafka, topic, messages);
            int distinct = new HashSet<>(keys).size();
            System.out.printf("kafka outage test: readiness DOWN for %.1f s (%s); %d records, %d distinct keys, %d duplicates,"
                    + " %d dead-lettered, %.1f s in total%n", readiness.downSeconds(), readiness.downMessage(), keys.size(),
                    distinct, keys.size() - distinct, OutageEvidence.deadLetters(data).size(), (System.nanoTime() - t0) / 1e9);
            assertEquals(messages, distinct, "every message's key is in the topic");
            assertEquals(List.of(), OutageEvidence.deadLetters(data), "0 dead-lettered");
            // only what the broker took but could not confirm before it stopped repeats: the sends in flight
            assertTrue(keys.size() - distinct <= maxInFlight, "at most the " + maxInFlight + " unconfirmed records twice; was "
                    + (keys.size() - distinct));
            List<LogCapture.Line> warnings = log.at(Level.WARN);
            assertTrue(warnings.size() >= 3, "one WARN per back-off step: " + warnings.size());
            for (LogCapture.Line w : warnings) {
                assertTrue(w.message().contains("unavailable") && w.message().contains("next try in")
                        && w.message().contains(topic), w.message());
                assertFalse(w.hasStackTrace() || w.message().contains("\n"), "one line, no stack trace: " + w.message());
            }
        }
    }

    private RunningMailbridge start(KafkaBroker kafka, String topic, int managementPort, int maxInFlight, int fetchSize)
            throws Exception {
        String uri = "kafka:" + topic + "?brokers=" + kafka.bootstrap() + "&deliveryTimeoutMs=" + DELIVERY_TIMEOUT_MS
                + "&requestTimeoutMs=3000&maxBlockMs=3000";
        return RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(), "alice", "secret",
                Map.of("mail.imap.account", "alice",
                        "mail.imap.fetch-size", String.valueOf(fetchSize),
                        "mail.sink.max-in-flight", String.valueOf(maxInFlight),
                        "mail.sink.log-level", "OFF",
                        "mail.sink.uri", uri,
                        "mail.sink.redelivery-delay", "300",
                        "mail.sink.max-redelivery-delay", "2s",
                        "camel.management.enabled", "true",
                        "camel.management.port", String.valueOf(managementPort)));
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Every key in the topic, read until {@code messages} distinct keys or 15 s. */
    private static List<String> keys(KafkaBroker kafka, String topic, int messages) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> c = kafka.reader(topic)) {
            RunningMailbridge.await(Duration.ofSeconds(15), () -> {
                c.poll(Duration.ofMillis(300)).forEach(r -> keys.add(r.key()));
                return new HashSet<>(keys).size() >= messages;
            }, "every key read back");
            c.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
        }
        return keys;
    }
}
