package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
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
 * A JVM whose default charsets (Java's, and Camel's {@code org.apache.camel.default.charset}) are
 * US-ASCII, and a Kafka sink that sends Strings (StringSerializer): the record bytes become a String
 * on the way, and it must be decoded as UTF-8, the record's charset, or every non-ASCII character
 * turns into U+FFFD.
 */
class KafkaCharsetTest {

    private static final String SUBJECT = "Grüße, Zoë – 請求書 №7";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void nonAsciiTextSurvivesAStringSerializerInAnAsciiJvm() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.appendMessage(TestMessages.plain("sender@example.com", "alice@localhost", SUBJECT, "Größe: 12 €\n"), new Flags(), new Date());
        String topic = "charset-" + UUID.randomUUID();
        Map<String, String> props = new HashMap<>();
        props.put("file.encoding", "US-ASCII"); // the JVM's default charset
        props.put("org.apache.camel.default.charset", "US-ASCII"); // and Camel's, which it uses when an exchange names none
        props.put("mail.embedded.enabled", "false");
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(greenMail.getImap().getPort()));
        props.put("mail.imap.username", "alice");
        props.put("mail.imap.password", "secret");
        props.put("mail.sink.uri", "kafka:" + topic + "?brokers=" + kafka.bootstrap());
        props.put("camel.component.kafka.value-serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (KafkaConsumer<String, String> reader = kafka.reader(topic);
                MailbridgeProcess mb = MailbridgeProcess.start(data, props, data.resolve("mailbridge.log"))) {
            List<String> values = new ArrayList<>();
            try {
                RunningMailbridge.await(Duration.ofSeconds(60), () -> {
                    reader.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                    return !values.isEmpty();
                }, "the record in the topic");
            } finally {
                java.nio.file.Files.writeString(Path.of("target/KafkaCharsetTest-mailbridge.log"), mb.logText()); // for people reading a failure
            }
            JsonNode record = new ObjectMapper().readTree(values.get(0));
            assertEquals(SUBJECT, record.get("subject").asText(), values.get(0));
            assertEquals("Größe: 12 €\n", record.path("text").asText(), values.get(0));
        }
    }
}
