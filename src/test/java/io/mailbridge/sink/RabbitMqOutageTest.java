package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.mailbridge.support.Health;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.RabbitMqBroker;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's RabbitMQ stopped mid-backfill ({@code rabbitmqctl stop_app}), then started again:
 * mailbridge waits with its back-off (WARN per try, readiness DOWN naming the sink), dead-letters
 * nothing, and every record is in the queue afterwards. start_app always runs: other tests need it.
 */
class RabbitMqOutageTest {

    private static final int MESSAGES = 400;
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void aStoppedBrokerIsWaitedForAndEveryRecordArrivesAfterStartApp() throws Exception {
        assumeRabbitmqctl();
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        for (int i = 1; i <= MESSAGES; i++) {
            inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "message " + i,
                    "body of message " + i + "\n" + "x".repeat(2000)), new Flags(), new Date());
        }
        String queue = "mailbridge-outage-" + UUID.randomUUID();
        int managementPort = Health.freePort();
        ReadinessWatch readiness = new ReadinessWatch(managementPort);
        long t0 = System.nanoTime();
        int warnsWhileDown;
        try (LogCapture log = LogCapture.of(SinkStatus.class);
                RunningMailbridge mb = start("rabbitmq:amq.direct?routingKey=" + queue + "&queue=" + queue, managementPort)) {
            RunningMailbridge.await(Duration.ofSeconds(30), () -> OutageEvidence.checkpointUid(data) > 0, "the first chunk delivered");
            long down;
            try {
                rabbitmqctl("stop_app");
                down = System.nanoTime();
                System.out.printf("rabbitmq outage test: stop_app at checkpoint %d after %.1f s%n", OutageEvidence.checkpointUid(data), (down - t0) / 1e9);
                RunningMailbridge.await(OUTAGE.plusSeconds(5), () -> readiness.poll() || readiness.sawDown() && log.at(Level.WARN).size() >= 3,
                        "readiness DOWN and WARN lines while RabbitMQ is stopped");
                long held = OutageEvidence.checkpointUid(data);
                while (System.nanoTime() - down < OUTAGE.toNanos()) {
                    readiness.poll();
                    Thread.sleep(500);
                }
                assertEquals(held, OutageEvidence.checkpointUid(data), "the checkpoint holds while RabbitMQ is stopped");
                assertTrue(held < MESSAGES, "the outage hit mid-backfill (checkpoint " + held + " of " + MESSAGES + ")");
                assertEquals(List.of(), OutageEvidence.deadLetters(data), "nothing dead-lettered while RabbitMQ is stopped");
                warnsWhileDown = log.at(Level.WARN).size();
            } finally {
                rabbitmqctl("start_app");
            }
            System.out.printf("rabbitmq outage test: broker down %.1f s, %d WARN lines naming %d records%n",
                    (System.nanoTime() - down) / 1e9, warnsWhileDown, OutageEvidence.recordsNamed(log.at(Level.WARN)));
            RunningMailbridge.await(Duration.ofSeconds(40), () -> OutageEvidence.checkpointUid(data) == MESSAGES, "the checkpoint at the last UID");
            RunningMailbridge.await(Duration.ofSeconds(10), readiness::poll, "readiness UP again");
            assertWarnings(log.at(Level.WARN), queue);
        }
        List<String> keys = drain(queue);
        int distinct = new HashSet<>(keys).size();
        System.out.printf("rabbitmq outage test: readiness DOWN for %.1f s (%s); %d records, %d distinct keys, %d duplicates,"
                + " %d dead-lettered, %.1f s in total%n", readiness.downSeconds(), readiness.downMessage(), keys.size(), distinct,
                keys.size() - distinct, OutageEvidence.deadLetters(data).size(), (System.nanoTime() - t0) / 1e9);
        assertEquals(MESSAGES, distinct, "every record is in the queue");
        assertEquals(List.of(), OutageEvidence.deadLetters(data), "0 dead-lettered");
        // one send in flight: only the record the broker took but could not confirm before it stopped repeats
        assertTrue(keys.size() - distinct <= 1, "at most the one unconfirmed record twice; was " + (keys.size() - distinct));
    }

    private static void assertWarnings(List<LogCapture.Line> warnings, String queue) {
        assertTrue(warnings.size() >= 3, "one WARN per back-off step: " + warnings.size());
        for (LogCapture.Line w : warnings) {
            assertTrue(w.message().contains("unavailable") && w.message().contains("next try in")
                    && w.message().contains(queue), w.message());
            assertFalse(w.hasStackTrace() || w.message().contains("\n"), "one line, no stack trace: " + w.message());
        }
    }

    private RunningMailbridge start(String sinkUri, int managementPort) throws Exception {
        return RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(), "alice", "secret",
                Map.of("mail.imap.account", "alice",
                        "mail.imap.fetch-size", "10",
                        "mail.sink.max-in-flight", "1", // one send at a time: the backfill is slow enough to stop mid-way
                        "mail.sink.log-level", "OFF",
                        "mail.sink.uri", sinkUri,
                        "mail.sink.redelivery-delay", "300",
                        "mail.sink.max-redelivery-delay", "2s",
                        "camel.management.enabled", "true",
                        "camel.management.port", String.valueOf(managementPort)));
    }

    /** Reads (and removes) every message of the queue and deletes it: the record keys. */
    private static List<String> drain(String queue) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> keys = new ArrayList<>();
        try (Connection c = RabbitMqBroker.connect(); Channel ch = c.createChannel()) {
            for (GetResponse m = ch.basicGet(queue, true); m != null; m = ch.basicGet(queue, true)) {
                keys.add(json.readTree(new String(m.getBody(), StandardCharsets.UTF_8)).get("key").asText());
            }
            ch.queueDelete(queue);
        }
        return keys;
    }

    private static void assumeRabbitmqctl() throws Exception {
        RabbitMqBroker.connect().close(); // skips (or fails on CI) when RabbitMQ is not running
        boolean available;
        try {
            available = new ProcessBuilder("rabbitmqctl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!available && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("rabbitmqctl is not available: RabbitMqOutageTest needs it to stop and start the broker");
        }
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed:\n" + out);
        }
    }
}
