package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.FileCheckpointStore;
import io.mailbridge.support.Health;
import io.mailbridge.imap.sync.FolderSync;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink that fails is waited for, never dead-lettered around: a file sink on a small tmpfs that
 * fills up mid-backfill (as a disk does), then is given room again.
 */
class SinkOutageTest {

    private static final int MESSAGES = 300;
    /** Records that fit before the disk is full: each file takes at least one 4 KiB page on tmpfs. */
    private static final int ROOM_FOR_RECORDS = 40;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    Path sinkDir;
    Path ballast;

    @BeforeEach
    void smallDiskAndAFullMailbox() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "SinkOutageTest needs root to mount a small tmpfs (CI runs as root); skipped for user "
                        + System.getProperty("user.name"));
        sinkDir = data.resolve("sink");
        Files.createDirectories(sinkDir);
        run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", sinkDir.toString());
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        String body = "A line of text that makes the record about two kilobytes long.\n".repeat(25);
        for (int i = 1; i <= MESSAGES; i++) {
            inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "message " + i, body),
                    new Flags(), new Date());
        }
        // the disk fills up after the first few dozen records of the backfill
        ballast = sinkDir.resolve("ballast");
        fill(ballast, Files.getFileStore(sinkDir).getUsableSpace() - ROOM_FOR_RECORDS * 4096L);
    }

    @AfterEach
    void unmount() throws Exception {
        if (sinkDir != null) {
            run("umount", sinkDir.toString());
        }
    }

    @Test
    void aFullDiskHoldsTheBackfillAndDeliveryResumesInOrderWhenThereIsRoom() throws Exception {
        int managementPort = Health.freePort();
        try (LogCapture log = LogCapture.of(SinkStatus.class);
                RunningMailbridge mb = start(managementPort, "100", "400ms")) {
            RunningMailbridge.await(Duration.ofSeconds(30), () -> log.at(Level.WARN).size() >= 3,
                    "WARN lines while the disk is full");
            HttpResponse<String> notReady = Health.readiness(managementPort);
            assertEquals(503, notReady.statusCode(), notReady.body());
            JsonNode sinkCheck = Health.check(notReady, "sink");
            assertEquals("DOWN", sinkCheck.get("status").asText(), notReady.body());
            assertTrue(sinkCheck.get("message").asText().contains("No space left on device"), notReady.body());

            int held = records().size();
            Checkpoint during = checkpoint();
            assertTrue(held > 0 && held < MESSAGES, held + " records before the disk filled");
            assertTrue(during.lastUid() <= held, "checkpoint " + during.lastUid() + " not past the " + held + " records");
            Thread.sleep(1000);
            assertEquals(held, records().size(), "nothing written while the disk is full");
            assertEquals(during, checkpoint(), "the checkpoint holds while the sink is down");
            assertEquals(List.of(), OutageEvidence.deadLetters(data), "a full disk dead-letters nothing");

            Files.delete(ballast);
            RunningMailbridge.await(Duration.ofSeconds(60), () -> checkpointIsAt(MESSAGES), "the checkpoint at the end");

            assertEquals(LongStream.rangeClosed(1, MESSAGES).boxed().toList(), uids(), "every message once, none missing");
            assertEquals(List.of(), OutageEvidence.deadLetters(data), "0 dead-lettered");
            assertEquals(List.of(), tempFiles(), "no partial .writing- files");
            HttpResponse<String> ready = Health.readiness(managementPort);
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", Health.status(ready), ready.body());

            List<LogCapture.Line> warnings = log.at(Level.WARN);
            for (LogCapture.Line w : warnings) {
                assertTrue(w.message().contains("No space left on device") && w.message().contains("next try in")
                        && w.message().contains(sinkDir.toString()), w.message());
                assertFalse(w.hasStackTrace() || w.message().contains("\n"), "one line, no stack trace: " + w.message());
            }
            assertTrue(log.at(Level.INFO).stream().anyMatch(l -> l.message().contains("available again")), log.lines().toString());
        }
    }

    @Test
    void stoppingDuringAnOutageIsPromptAndTheNextStartDeliversTheRest() throws Exception {
        Checkpoint atStop;
        try (LogCapture log = LogCapture.of(SinkStatus.class); LogCapture sync = LogCapture.of(FolderSync.class)) {
            RunningMailbridge mb = start(0, "8s", "8s");
            RunningMailbridge.await(Duration.ofSeconds(30), () -> !log.at(Level.WARN).isEmpty(), "a WARN line: the disk is full");
            long started = System.nanoTime();
            mb.close();
            long stopMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(stopMillis < 4000, "stopped in " + stopMillis + " ms while the record waited 8 s for its next try");
            atStop = checkpoint();
            assertTrue(atStop.lastUid() <= records().size(), "checkpoint " + atStop.lastUid() + " not past the written records");
            assertEquals(List.of(), OutageEvidence.deadLetters(data));
            assertEquals(List.of(), tempFiles());
            // one line says how many records the sink had not confirmed and where reading resumes
            List<LogCapture.Line> stopped = sync.at(Level.INFO).stream().filter(l -> l.message().contains("stopped with")).toList();
            assertEquals(1, stopped.size(), sync.lines().toString());
            assertTrue(stopped.get(0).message().matches(".*stopped with \\d+ records the sink had not confirmed; they are read again"
                    + " from uid " + (atStop.lastUid() + 1) + " on the next start"), stopped.get(0).message());
        }
        Files.delete(ballast);
        try (RunningMailbridge mb = start(0, "100", "400ms")) {
            RunningMailbridge.await(Duration.ofSeconds(60), () -> checkpointIsAt(MESSAGES), "the checkpoint at the end");
            assertEquals(LongStream.rangeClosed(1, MESSAGES).boxed().toList(), uids());
            assertEquals(List.of(), OutageEvidence.deadLetters(data));
            assertEquals(List.of(), tempFiles());
        }
    }

    private RunningMailbridge start(int managementPort, String delay, String maxDelay) throws Exception {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "mail.imap.account", "alice",
                "mail.imap.fetch-size", "25",
                "mail.sink.log-level", "DEBUG",
                "mail.sink.uri", "file:" + sinkDir + "?tempPrefix=.writing-",
                "mail.sink.redelivery-delay", delay,
                "mail.sink.max-redelivery-delay", maxDelay));
        if (managementPort > 0) {
            overrides.putAll(Map.of("camel.management.enabled", "true", "camel.management.port", String.valueOf(managementPort)));
        }
        return RunningMailbridge.start(data.resolve("run"), greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", overrides);
    }

    private List<Path> records() throws IOException {
        return RunningMailbridge.jsonFiles(sinkDir);
    }

    private List<Long> uids() throws IOException {
        ObjectMapper json = new ObjectMapper();
        return records().stream().map(p -> {
            try {
                JsonNode r = json.readTree(p.toFile());
                return r.get("uid").asLong();
            } catch (IOException e) {
                throw new IllegalStateException(p + ": " + e.getMessage(), e);
            }
        }).sorted().toList();
    }

    private Checkpoint checkpoint() throws IOException {
        Checkpoint c = new FileCheckpointStore(data.resolve("run/checkpoints")).load("alice", "INBOX");
        return c == null ? new Checkpoint(0, 0, null) : c;
    }

    private boolean checkpointIsAt(long uid) {
        try {
            return checkpoint().lastUid() == uid;
        } catch (IOException e) {
            return false;
        }
    }

    private List<Path> tempFiles() throws IOException {
        return filesUnder(sinkDir, p -> p.getFileName().toString().startsWith(".writing-"));
    }

    private static List<Path> filesUnder(Path dir, java.util.function.Predicate<Path> filter) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(filter).toList();
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
