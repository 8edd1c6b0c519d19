package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.checkpoint.FileCheckpointStore;
import io.mailbridge.record.MessageRecordMapper;
import io.mailbridge.record.RecordJson;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Processor;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A message that cannot become a record is dead-lettered at once, raw; it is not a sink outage. */
class DeadLetterTest {

    /** No header section at all: the mapper refuses it (UnparseableMessageException). */
    private static final byte[] GARBAGE = "\u0001\u0002 this is not an RFC 822 message\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    /**
     * Since the mapper repairs every damaged message it has met (issue 11), a mapping failure is a bug
     * in a mapper; a mapper that fails on one message stands in for it, and its failure must be
     * handled as poison: the raw message dead-lettered, the messages around it delivered.
     */
    @Test
    void aMessageTheMapperFailsOnIsDeadLetteredRawWhileTheGoodOnesAroundItAreDelivered() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "good before", "x\n"), new Flags(), new Date());
        inbox.appendMessage(new RawBytes(GARBAGE), new Flags(), new Date());
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "good after", "x\n"), new Flags(), new Date());
        Processor builtIn = RecordJson.recordMapper(new MessageRecordMapper(), new RecordJson());
        Processor failsOnGarbage = exchange -> {
            if (Arrays.equals(GARBAGE, exchange.getMessage().getBody(byte[].class))) {
                throw new IllegalStateException("this mapper cannot read the message");
            }
            builtIn.process(exchange);
        };

        try (LogCapture sinkLog = LogCapture.of(SinkStatus.class);
                RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(),
                        greenMail.getSmtp().getPort(), "alice", "secret",
                        // an outage would wait a minute: the dead letter must not
                        Map.of("mail.imap.account", "alice", "mail.sink.redelivery-delay", "1m",
                                "mail.sink.max-redelivery-delay", "1m"),
                        Map.of("recordMapper", failsOnGarbage))) {
            List<JsonNode> records = mb.awaitRecords(2);
            assertEquals(List.of("good after", "good before"), records.stream().map(r -> r.get("subject").asText()).sorted().toList());
            RunningMailbridge.await(Duration.ofSeconds(10), () -> lastUid() == 3, "the checkpoint past the dead letter");

            List<Path> eml = files(data.resolve("dead-letter"), ".eml");
            assertEquals(1, eml.size(), "one dead letter");
            assertTrue(eml.get(0).toString().endsWith("alice/INBOX/" + records.get(0).get("uidValidity").asText() + "/2.eml"),
                    eml.get(0).toString());
            assertArrayEquals(GARBAGE, Files.readAllBytes(eml.get(0)), "the raw bytes, as the server has them");
            String error = Files.readString(Path.of(eml.get(0).toString().replace(".eml", ".error")));
            assertTrue(error.contains("this mapper cannot read the message"), error);
            assertEquals(List.of(), sinkLog.lines(), "no sink outage reported");
        }
    }

    /**
     * Out of memory while mapping says nothing about the message (seen with 50 accounts in a 256 MB
     * heap): it must not be dead-lettered and skipped, but fetched again and delivered.
     */
    @Test
    void aMappingThatRunsOutOfMemoryIsRetriedNotDeadLettered() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        for (String subject : List.of("first", "second", "third")) {
            inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", subject, "x\n"), new Flags(), new Date());
        }
        Processor builtIn = RecordJson.recordMapper(new MessageRecordMapper(), new RecordJson());
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Processor runsOutOnce = exchange -> {
            boolean second = new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.ISO_8859_1)
                    .contains("Subject: second");
            if (second && failuresLeft.getAndDecrement() > 0) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
            builtIn.process(exchange);
        };

        try (LogCapture syncLog = LogCapture.of("io.mailbridge.imap");
                RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(),
                        greenMail.getSmtp().getPort(), "alice", "secret",
                        Map.of("mail.imap.account", "alice", "mail.imap.max-backoff", "300ms"),
                        Map.of("recordMapper", runsOutOnce))) {
            List<JsonNode> records = mb.awaitRecords(3);
            assertEquals(List.of("first", "second", "third"), records.stream().map(r -> r.get("subject").asText()).sorted().toList());
            RunningMailbridge.await(Duration.ofSeconds(10), () -> lastUid() == 3, "the checkpoint at the last UID");
            assertEquals(List.of(), files(data.resolve("dead-letter"), ""), "nothing dead-lettered");
            assertTrue(syncLog.at(Level.WARN).stream().anyMatch(l -> l.message().contains("out of memory (Java heap space (thrown by the test))")
                    && l.message().contains("next try in") && !l.hasStackTrace()), syncLog.at(Level.WARN).toString());
        }
    }

    /**
     * A message that runs out of memory every time it is mapped (issue 23: 100,000 parts once did) cannot be
     * mapped within this heap: after three tries it is dead-lettered raw, and the messages after it arrive.
     */
    @Test
    void aMessageThatAlwaysRunsOutOfMemoryIsDeadLetteredOnItsThirdTryAndTheMailboxGoesOn() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        for (String subject : List.of("first", "too big", "third")) {
            inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", subject, "x\n"), new Flags(), new Date());
        }
        Processor builtIn = RecordJson.recordMapper(new MessageRecordMapper(), new RecordJson());
        AtomicInteger tries = new AtomicInteger();
        Processor alwaysOutOfMemory = exchange -> {
            if (new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.ISO_8859_1).contains("Subject: too big")) {
                tries.incrementAndGet();
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
            builtIn.process(exchange);
        };
        try (RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", Map.of("mail.imap.account", "alice", "mail.imap.max-backoff", "300ms"),
                Map.of("recordMapper", alwaysOutOfMemory))) {
            List<JsonNode> records = mb.awaitRecords(2);
            assertEquals(List.of("first", "third"), records.stream().map(r -> r.get("subject").asText()).sorted().toList());
            RunningMailbridge.await(Duration.ofSeconds(10), () -> lastUid() == 3, "the checkpoint past the dead letter");
            assertEquals(3, tries.get(), "mapped three times, then given up");
            List<Path> eml = files(data.resolve("dead-letter"), ".eml");
            assertEquals(1, eml.size(), "one dead letter");
            assertTrue(new String(Files.readAllBytes(eml.get(0)), StandardCharsets.ISO_8859_1).contains("Subject: too big"));
            String error = Files.readString(Path.of(eml.get(0).toString().replace(".eml", ".error")));
            assertTrue(error.contains("out of memory 3 times in a row"), error);
        }
    }

    @Test
    void aRecordTheSinkRefusesForGoodIsDeadLetteredWithTheReasonAndTheOthersGoOn() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "good before", "x\n"), new Flags(), new Date());
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "refuse me", "x\n"), new Flags(), new Date());
        inbox.appendMessage(TestMessages.plain("a@example.com", "alice@localhost", "good after", "x\n"), new Flags(), new Date());
        RefusingSink.TAKEN.clear();

        try (LogCapture sinkLog = LogCapture.of(SinkStatus.class);
                RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(),
                        greenMail.getSmtp().getPort(), "alice", "secret",
                        Map.of("mail.imap.account", "alice", "mail.sink.uri", "class:" + RefusingSink.class.getName() + "?method=take",
                                "mail.sink.redelivery-delay", "1m", "mail.sink.max-redelivery-delay", "1m"))) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> lastUid() == 3, "the checkpoint past the refused record");
            assertEquals(2, RefusingSink.TAKEN.size(), RefusingSink.TAKEN.toString());
            assertTrue(RefusingSink.TAKEN.get(0).contains("good before") && RefusingSink.TAKEN.get(1).contains("good after"),
                    "the others in UID order");

            List<Path> json = files(data.resolve("dead-letter"), ".json");
            assertEquals(1, json.size(), "the refused record is dead-lettered");
            assertTrue(json.get(0).toString().endsWith("/2.json"), json.get(0).toString());
            assertTrue(Files.readString(json.get(0)).contains("\"subject\":\"refuse me\""), "the record as the sink got it");
            String error = Files.readString(Path.of(json.get(0).toString().replace(".json", ".error")));
            assertTrue(error.contains("exceeds the broker's limit of 100 bytes"), error);
            assertEquals(List.of(), files(data.resolve("dead-letter"), ".eml"));
            assertEquals(List.of(), sinkLog.lines(), "a refusal is not an outage");
        }
    }

    private long lastUid() {
        try {
            var c = new FileCheckpointStore(data.resolve("checkpoints")).load("alice", "INBOX");
            return c == null ? 0 : c.lastUid();
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    /** A "message" GreenMail serves as exactly these bytes. */
    private static final class RawBytes extends MimeMessage {
        private final byte[] bytes;

        RawBytes(byte[] bytes) {
            super(TestMessages.SESSION);
            this.bytes = bytes;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
            out.write(bytes);
        }

        @Override
        public int getSize() {
            return bytes.length;
        }
    }
}
