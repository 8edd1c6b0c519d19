package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;

/**
 * What the README's run command does, with the embedded server on free ports: demo mail becomes
 * records, and the demo outbound request is sent and comes back as a record.
 */
class EmbeddedDemoTest {

    @TempDir
    Path data;

    @Test
    void outOfTheBoxDemoIngestsSeedMailAndClosesTheLoop() throws Exception {
        Main main = MailbridgeApp.create();
        main.addOverrideProperty("mail.imap.port", String.valueOf(freePort()));
        main.addOverrideProperty("mail.smtp.port", String.valueOf(freePort()));
        main.addOverrideProperty("mail.imap.poll-delay", "300");
        RunningMailbridge.dataDirProperties(data).forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.management.enabled", "false");
        main.start();
        try {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> {
                try {
                    return RunningMailbridge.jsonFiles(data.resolve("inbox")).size() >= 4;
                } catch (Exception e) {
                    return false;
                }
            }, "3 demo records and the looped-back outbound request");
            ObjectMapper json = new ObjectMapper();
            List<String> subjects = RunningMailbridge.jsonFiles(data.resolve("inbox")).stream().map(p -> {
                try {
                    JsonNode n = json.readTree(p.toFile());
                    return n.get("subject").asText();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertTrue(subjects.contains("Hello from the mailbridge outbox"), subjects.toString());
            assertEquals(4, subjects.size());
            assertTrue(Files.exists(data.resolve("checkpoints")));
            assertTrue(!Files.exists(data.resolve("outbox/demo-request.txt")), "demo request left the outbox once sent");
            assertTrue(Files.exists(data.resolve("outbox-sent/demo-request.txt.sent.json")), "sent record written");
        } finally {
            main.stop();
        }
    }

    /**
     * The README's change-events demo: with -Dmail.imap.changes=true and a 5 s scan (GreenMail has no CONDSTORE),
     * marking a demo message answered with an IMAP client as user demo gives an event file beside the records.
     */
    @Test
    void theChangeEventsDemoShowsAnAnsweredDemoMessageAsAnEvent() throws Exception {
        Main main = MailbridgeApp.create();
        int imapPort = freePort();
        main.addOverrideProperty("mail.imap.port", String.valueOf(imapPort));
        main.addOverrideProperty("mail.smtp.port", String.valueOf(freePort()));
        main.addOverrideProperty("mail.imap.changes", "true");
        main.addOverrideProperty("mail.imap.changes-scan-interval", "5s");
        RunningMailbridge.dataDirProperties(data).forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.management.enabled", "false");
        main.start();
        try (ImapClient imap = new ImapClient(imapPort, "demo", "demo")) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> jsonFiles(data.resolve("inbox")).size() >= 4, "the demo records");
            // the demo invoice (uid 1) is flagged already: mark it answered
            imap.setFlags("INBOX", 1, new jakarta.mail.Flags(jakarta.mail.Flags.Flag.ANSWERED), true);
            RunningMailbridge.await(Duration.ofSeconds(20), () -> jsonFiles(data.resolve("inbox")).stream()
                    .anyMatch(p -> p.getFileName().toString().matches("1\\.flags\\.t\\d+\\.json")), "the change event file");
            Path event = jsonFiles(data.resolve("inbox")).stream()
                    .filter(p -> p.getFileName().toString().startsWith("1.flags.")).findFirst().orElseThrow();
            JsonNode json = new ObjectMapper().readTree(event.toFile());
            assertEquals("mailbridge.change/1", json.get("schema").asText());
            assertTrue(json.get("flags").toString().contains("\\\\Answered"), json.toString());
        } finally {
            main.stop();
        }
    }

    private static List<Path> jsonFiles(Path dir) {
        try {
            return RunningMailbridge.jsonFiles(dir);
        } catch (Exception e) {
            return List.of();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
