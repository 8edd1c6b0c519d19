package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.KafkaBroker;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Records into a real Kafka broker with {@code mail.sink.uri=kafka:<topic>?brokers=<host:port>}, as the README says. */
class KafkaSinkTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void eachRecordIsOneMessageKeyedByTheRecordKeyWithStringHeaders() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        Flags seenFlagged = new Flags(Flags.Flag.SEEN);
        seenFlagged.add(Flags.Flag.FLAGGED);
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "first", "one"), seenFlagged, new Date());
        inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "second", "two"), new Flags(), new Date());
        String topic = "records-" + UUID.randomUUID();

        try (RunningMailbridge app = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", Map.of("mail.sink.uri", "kafka:" + topic + "?brokers=" + kafka.bootstrap()))) {
            List<ConsumerRecord<String, String>> records = read(kafka, topic, 2);
            assertEquals(2, records.size());
            Map<String, ConsumerRecord<String, String>> bySubject = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (ConsumerRecord<String, String> r : records) {
                JsonNode record = json.readTree(r.value());
                assertEquals(record.get("key").asText(), r.key(), "Kafka key = record key");
                bySubject.put(record.get("subject").asText(), r);
            }
            ConsumerRecord<String, String> first = bySubject.get("first");
            JsonNode firstRecord = json.readTree(first.value());
            long uidValidity = firstRecord.get("uidValidity").asLong();
            assertEquals("alice@127.0.0.1/INBOX/" + uidValidity + "/1", first.key());
            assertEquals("alice@127.0.0.1", header(first, "MailbridgeAccount"));
            assertEquals("INBOX", header(first, "MailbridgeFolder"));
            assertEquals(String.valueOf(uidValidity), header(first, "MailbridgeUidValidity"));
            assertEquals("1", header(first, "MailbridgeUid"));
            List<String> flags = List.of(header(first, "MailbridgeFlags").split(","));
            assertTrue(flags.contains("\\Seen") && flags.contains("\\Flagged"), "flags as one string: " + flags);
            assertTrue(!header(bySubject.get("second"), "MailbridgeFlags").contains("\\Seen"));
            for (Header h : first.headers()) {
                assertTrue(!h.key().startsWith("Camel") && !h.key().startsWith("kafka."), "no Camel-internal header: " + h.key());
            }
            assertTrue(RunningMailbridge.jsonFiles(app.inbox()).isEmpty(), "nothing went to the file sink");
        }
    }

    /** A mailbox with a Kafka sink of its own (mail.account.<name>.sink-uri) while the default sink is a directory. */
    @Test
    void aMailboxWithItsOwnKafkaSinkGetsTheRecordKeyAsKafkaKey() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        greenMail.getManagers().getImapHostManager().getInbox(user)
                .appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "own sink", "one"), new Flags(), new Date());
        String topic = "sales-" + UUID.randomUUID();

        try (RunningMailbridge app = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", Map.of("mail.accounts", "sales",
                        "mail.account.sales.sink-uri", "kafka:" + topic + "?brokers=" + kafka.bootstrap()))) {
            List<ConsumerRecord<String, String>> records = read(kafka, topic, 1);
            assertEquals(1, records.size());
            String key = new ObjectMapper().readTree(records.get(0).value()).get("key").asText();
            assertTrue(key.startsWith("sales/INBOX/"), key);
            assertEquals(key, records.get(0).key(), "Kafka key = record key");
        }
    }

    /**
     * Change events on the record topic (mail.imap.changes, mail.changes.uri unset): one message's events come after
     * its record, in the order of the changes, on the record's partition (same key). GreenMail has no CONDSTORE: the
     * flags are compared every 200 ms here.
     */
    @Test
    void aMessagesChangeEventsFollowItsRecordInOrderOnTheSamePartition() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        greenMail.setUser("alice@localhost", "alice", "secret");
        String topic = "changes-" + UUID.randomUUID();
        try (ImapClient imap = new ImapClient(greenMail.getImap().getPort(), "alice", "secret")) {
            long uid = 0;
            for (int i = 1; i <= 4; i++) { // a few messages, so the keys spread over the topic's 3 partitions
                uid = imap.append("INBOX", TestMessages.plain("bob@example.com", "alice@localhost", "m" + i, "body"),
                        new Flags(), new Date());
            }
            try (RunningMailbridge app = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                    "alice", "secret", Map.of("mail.sink.uri", "kafka:" + topic + "?brokers=" + kafka.bootstrap(),
                            "mail.imap.changes", "true", "mail.imap.changes-scan-interval", "200ms", "mail.imap.idle", "false"))) {
                assertEquals(4, read(kafka, topic, 4).size());
                List<Flags> changes = List.of(new Flags(Flags.Flag.SEEN), new Flags(Flags.Flag.FLAGGED), new Flags("$Done"));
                for (int i = 0; i < changes.size(); i++) {
                    imap.setFlags("INBOX", uid, changes.get(i), true);
                    int expected = 5 + i;
                    RunningMailbridge.await(Duration.ofSeconds(15), () -> read(kafka, topic, expected).size() >= expected,
                            "change event " + (i + 1));
                }
                imap.expunge("INBOX", uid);
                List<ConsumerRecord<String, String>> all = read(kafka, topic, 8);
                assertEquals(8, all.size(), "4 records and 4 change events, nothing twice");

                ObjectMapper json = new ObjectMapper();
                String key = null;
                List<ConsumerRecord<String, String>> ofMessage = new ArrayList<>();
                for (ConsumerRecord<String, String> r : all) {
                    JsonNode doc = json.readTree(r.value());
                    if (doc.get("uid").asLong() == uid) {
                        key = doc.get("key").asText();
                        ofMessage.add(r);
                    }
                }
                ofMessage.sort((a, b) -> Long.compare(a.offset(), b.offset()));
                assertEquals(5, ofMessage.size(), "its record and 4 change events");
                int partition = ofMessage.get(0).partition();
                List<String> kinds = new ArrayList<>();
                for (ConsumerRecord<String, String> r : ofMessage) {
                    assertEquals(key, r.key(), "the record's key");
                    assertEquals(partition, r.partition(), "one partition");
                    JsonNode doc = json.readTree(r.value());
                    kinds.add(doc.get("schema").asText().equals("mailbridge.message/1") ? "record"
                            : doc.get("change").asText() + doc.get("flags"));
                }
                assertEquals(List.of("record", "flags[\"\\\\Seen\"]", "flags[\"\\\\Flagged\",\"\\\\Seen\"]",
                        "flags[\"$Done\",\"\\\\Flagged\",\"\\\\Seen\"]", "expungednull"), kinds);
                assertEquals("flags", header(ofMessage.get(1), "MailbridgeChange"));
                assertEquals("expunged", header(ofMessage.get(4), "MailbridgeChange"));
            }
        }
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Reads the topic from the beginning until {@code count} records arrived (or 30 s passed). */
    static List<ConsumerRecord<String, String>> read(KafkaBroker kafka, String topic, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafka.reader(topic)) {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < count && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // a little longer: anything beyond count is a duplicate the caller wants to see
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }
}
