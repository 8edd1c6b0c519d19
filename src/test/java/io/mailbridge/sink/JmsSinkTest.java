package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.ArtemisBroker;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.Flags;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Records into an embedded Artemis broker through camel-jms, configured with properties only. */
class JmsSinkTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void eachRecordIsOnePersistentMessageAndARepeatedRecordIsDroppedByTheBroker() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "first", "one"), new Flags(Flags.Flag.SEEN), new Date());
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "second", "two"), new Flags(), new Date());
        try (ArtemisBroker artemis = ArtemisBroker.start()) {
            artemis.createQueue("mail-records");
            Map<String, String> props = new HashMap<>(artemis.jmsProperties());
            props.put("mail.sink.uri", "jms:queue:mail-records");
            Path checkpoints = data.resolve("checkpoints");
            runUntilCheckpointed(props, checkpoints);
            // forget the checkpoint: mailbridge sends both records again, with the same duplicate-detection id
            deleteTree(checkpoints);
            runUntilCheckpointed(props, checkpoints);

            List<Message> messages = drain(artemis.url(), "mail-records");
            assertEquals(2, messages.size(), "the broker kept one message per record");
            ObjectMapper json = new ObjectMapper();
            for (Message m : messages) {
                JsonNode record = json.readTree(body(m));
                String key = record.get("key").asText();
                assertEquals(key, m.getJMSCorrelationID());
                assertEquals(key, m.getStringProperty(SinkHeaders.ARTEMIS_DUPLICATE_ID));
                assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
                assertEquals("alice@127.0.0.1", m.getStringProperty("MailbridgeAccount"));
                assertEquals("INBOX", m.getStringProperty("MailbridgeFolder"));
                assertEquals(record.get("uidValidity").asText(), m.getStringProperty("MailbridgeUidValidity"));
                assertEquals(record.get("uid").asText(), m.getStringProperty("MailbridgeUid"));
                assertEquals("first".equals(record.get("subject").asText()),
                        List.of(m.getStringProperty("MailbridgeFlags").split(",")).contains("\\Seen"));
            }
        }
    }

    private void runUntilCheckpointed(Map<String, String> props, Path checkpoints) throws Exception {
        try (RunningMailbridge app = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", props)) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> checkpointFiles(checkpoints) > 0, "a checkpoint after both records");
            assertTrue(RunningMailbridge.jsonFiles(app.inbox()).isEmpty());
        }
    }

    private static long checkpointFiles(Path dir) {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".checkpoint")).count();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String body(Message m) throws Exception {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        BytesMessage b = (BytesMessage) m;
        byte[] bytes = new byte[(int) b.getBodyLength()];
        b.readBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static List<Message> drain(String url, String queue) throws Exception {
        List<Message> out = new ArrayList<>();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url); Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                out.add(m);
            }
        }
        return out;
    }
}
