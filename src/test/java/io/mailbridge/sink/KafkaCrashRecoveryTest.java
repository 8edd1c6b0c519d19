package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.KafkaBroker;
import io.mailbridge.support.MailbridgeProcess;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL mailbridge in the middle of a backfill into Kafka, restart it: the topic then holds every
 * message's key. Records written twice can only be those acknowledged by the broker after the last
 * checkpoint write (at most one fetch chunk); consumers dedupe them by key.
 */
class KafkaCrashRecoveryTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void killedMidBackfillAndRestartedLeavesEveryKeyInTheTopic() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        int n = 200;
        int fetchSize = 20;
        int maxInFlight = 20;
        for (int i = 1; i <= n; i++) {
            inbox.appendMessage(TestMessages.plain("sender@example.com", "alice@localhost", "message " + i,
                    "body of message " + i + "\n" + "x".repeat(1000)), new Flags(), new Date());
        }
        String topic = "crash-" + UUID.randomUUID();
        Map<String, String> props = new HashMap<>();
        props.put("mail.embedded.enabled", "false");
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(greenMail.getImap().getPort()));
        props.put("mail.imap.username", "alice");
        props.put("mail.imap.password", "secret");
        props.put("mail.imap.poll-delay", "200");
        props.put("mail.imap.fetch-size", String.valueOf(fetchSize));
        props.put("mail.sink.max-in-flight", String.valueOf(maxInFlight));
        props.put("mail.sink.log-level", "OFF");
        props.put("mail.sink.uri", "kafka:" + topic + "?brokers=" + kafka.bootstrap());
        Path log = data.resolve("mailbridge.log");

        try (KafkaConsumer<String, String> reader = kafka.reader(topic)) {
            List<String> keys = new java.util.ArrayList<>();
            int beforeKill;
            long t0 = System.nanoTime();
            try (MailbridgeProcess first = MailbridgeProcess.start(data, props, log)) {
                RunningMailbridge.await(Duration.ofSeconds(90), () -> poll(reader, keys) >= n / 4,
                        "first process wrote a quarter of the records");
                first.kill();
                beforeKill = keys.size();
                System.out.printf("kafka crash test: killed after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            assertTrue(beforeKill < n, "killed before the end of the backfill (" + beforeKill + " of " + n + ")");
            try (MailbridgeProcess second = MailbridgeProcess.start(data, props, log)) {
                RunningMailbridge.await(Duration.ofSeconds(90), () -> new HashSet<>(keysAfter(reader, keys)).size() >= n,
                        "every key in the topic after the restart");
                System.out.printf("kafka crash test: all keys %.1f s after the start%n", (System.nanoTime() - t0) / 1e9);
                Thread.sleep(1500); // further polls must add nothing
                poll(reader, keys);
            }
            Set<String> distinct = new HashSet<>(keys);
            int twice = keys.size() - distinct.size();
            System.out.printf("kafka crash test: %d messages, %d records in the topic at SIGKILL, %d records in total,"
                    + " %d distinct keys, %d written twice%n", n, beforeKill, keys.size(), distinct.size(), twice);
            assertEquals(n, distinct.size(), "every message's key is in the topic");
            // the checkpoint is saved at chunk ends, over confirmed records: what was confirmed since the last save
            // (at most a chunk) plus what was sent and not yet confirmed (at most max-in-flight) may repeat
            assertTrue(twice <= fetchSize + maxInFlight,
                    "only the chunk in flight and the unconfirmed sends are written twice; was " + twice);
        }
    }

    private static List<String> keysAfter(KafkaConsumer<String, String> reader, List<String> keys) {
        poll(reader, keys);
        return keys;
    }

    private static int poll(KafkaConsumer<String, String> reader, List<String> keys) {
        reader.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
        return keys.size();
    }

}
