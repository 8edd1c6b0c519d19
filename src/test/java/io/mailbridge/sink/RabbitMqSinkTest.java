package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.mailbridge.support.RabbitMqBroker;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Records into the machine's RabbitMQ through the rabbitmq: component (publisher confirms + mandatory). */
class RabbitMqSinkTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    private MailFolder inboxWithTwoMessages() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "first", "one"), new Flags(Flags.Flag.SEEN), new Date());
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "second", "two"), new Flags(), new Date());
        return inbox;
    }

    private RunningMailbridge start(String sinkUri) throws Exception {
        return RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(), "alice", "secret",
                Map.of("mail.sink.uri", sinkUri));
    }

    @Test
    void eachRecordIsOnePersistentMessageWithTheKeyAsMessageId() throws Exception {
        String queue = "mailbridge-test-" + UUID.randomUUID();
        inboxWithTwoMessages();
        try (Connection c = RabbitMqBroker.connect(); Channel ch = c.createChannel()) {
            try (RunningMailbridge app = start("rabbitmq:amq.direct?routingKey=" + queue + "&queue=" + queue)) {
                RunningMailbridge.await(Duration.ofSeconds(20), () -> messageCount(ch, queue) >= 2, "2 messages in " + queue);
            }
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < 2; i++) {
                GetResponse m = ch.basicGet(queue, true);
                JsonNode record = json.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
                assertEquals(record.get("key").asText(), m.getProps().getMessageId(), "AMQP message_id = record key");
                assertEquals(2, m.getProps().getDeliveryMode(), "persistent");
                Map<String, Object> h = m.getProps().getHeaders();
                assertEquals("alice@127.0.0.1", h.get("MailbridgeAccount").toString());
                assertEquals("INBOX", h.get("MailbridgeFolder").toString());
                assertEquals(record.get("uidValidity").asText(), h.get("MailbridgeUidValidity").toString());
                assertEquals(record.get("uid").asText(), h.get("MailbridgeUid").toString());
                assertEquals("first".equals(record.get("subject").asText()),
                        List.of(h.get("MailbridgeFlags").toString().split(",")).contains("\\Seen"));
                assertTrue(h.keySet().stream().noneMatch(k -> k.startsWith("Camel")), "no Camel headers: " + h.keySet());
            }
            assertEquals(0, messageCount(ch, queue), "exactly one message per record");
            ch.queueDelete(queue);
        }
    }

    @Test
    void anUnroutableRecordIsRefusedNotCountedAsSent() throws Exception {
        inboxWithTwoMessages();
        String nowhere = "no-queue-bound-" + UUID.randomUUID();
        try (Connection c = RabbitMqBroker.connect();
                RunningMailbridge app = start("rabbitmq:amq.direct?routingKey=" + nowhere)) {
            Path deadLetter = data.resolve("dead-letter");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> errorFiles(deadLetter).size() >= 2,
                    "both records refused and dead-lettered with the reason");
            String reason = Files.readString(errorFiles(deadLetter).get(0));
            assertTrue(reason.contains("unroutable") && reason.contains("312 NO_ROUTE") && reason.contains(nowhere), reason);
            assertTrue(RunningMailbridge.jsonFiles(app.inbox()).isEmpty());
        }
    }

    private static List<Path> errorFiles(Path dir) {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".error")).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static long messageCount(Channel ch, String queue) {
        try {
            return ch.messageCount(queue);
        } catch (Exception e) {
            return -1;
        }
    }
}
