package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailbridge.support.FakeSmtpServer;
import io.mailbridge.support.RunningMailbridge;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbound delivery as a pipeline relies on it: retries, permanent refusals, idempotent sends, sent records. */
class OutboundDeliveryTest {

    @TempDir
    Path data;

    private final ObjectMapper json = new ObjectMapper();

    private void submit(String name, String content) throws Exception {
        RunningMailbridge.submit(data, name, content);
    }

    private RunningMailbridge start(int smtpPort) throws Exception {
        return RunningMailbridge.start(data, 1, smtpPort, "alice", "secret",
                Map.of("mail.imap.folders", "INBOX", "mail.smtp.username", "",
                        "mail.imap.poll-delay", "1h"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void smtpDownThenUpDeliversEveryRequestExactlyOnce() throws Exception {
        int port = freePort(); // nothing listens here yet
        try (RunningMailbridge mb = start(port)) {
            for (int i = 1; i <= 5; i++) {
                submit("req-" + i + ".json", "{\"to\": [\"bob@example.com\"], \"subject\": \"queued " + i + "\", \"text\": \"x\"}");
            }
            Thread.sleep(3000); // connection refused, retried with back-off; the requests wait in the outbox
            assertEquals(5, Files.list(data.resolve("outbox")).filter(p -> !p.getFileName().toString().startsWith(".")).count());
            GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            try {
                RunningMailbridge.await(Duration.ofSeconds(60), () -> smtp.getReceivedMessages().length >= 5, "5 delivered");
                Thread.sleep(1500); // nothing more may arrive
                MimeMessage[] received = smtp.getReceivedMessages();
                assertEquals(5, received.length, "each request exactly once");
                Set<String> subjects = new HashSet<>();
                for (MimeMessage m : received) {
                    subjects.add(m.getSubject());
                }
                assertEquals(Set.of("queued 1", "queued 2", "queued 3", "queued 4", "queued 5"), subjects);
                assertFalse(Files.exists(data.resolve("outbox-failed")), "nothing failed");
                assertEquals(5, Files.list(data.resolve("outbox-sent")).count(), "a sent record per request");
            } finally {
                smtp.stop();
            }
        }
    }

    @Test
    void permanentRefusalGoesToFailedFolderWithServerReplyAndTemporaryOneIsRetried() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(); RunningMailbridge mb = start(smtp.port())) {
            submit("unknown-user.json", "{\"to\": [\"reject-me@example.com\"], \"subject\": \"s\", \"text\": \"x\"}");
            submit("busy.json", "{\"to\": [\"tempfail@example.com\"], \"subject\": \"s\", \"text\": \"x\"}");
            Path failed = data.resolve("outbox-failed");
            RunningMailbridge.await(Duration.ofSeconds(10), () -> Files.exists(failed.resolve("unknown-user.json.error")), "refused");
            String reason = Files.readString(failed.resolve("unknown-user.json.error"));
            assertTrue(reason.contains("550 5.1.1") && reason.contains("User unknown"), reason);
            Thread.sleep(1500);
            assertTrue(Files.exists(data.resolve("outbox/busy.json")), "a 451 leaves the request in the outbox for a retry");
            assertFalse(Files.exists(failed.resolve("busy.json")));
            assertEquals(0, smtp.accepted.size(), "nothing was sent");
        }
    }

    @Test
    void sameRequestTwiceIsSentOnceAndSentRecordHasTheServerReply() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(); RunningMailbridge mb = start(smtp.port())) {
            String request = "{\"id\": \"order-4711-confirmation\", \"to\": [\"bob@example.com\"], \"subject\": \"Order 4711\", "
                    + "\"text\": \"Thanks!\", \"html\": \"<p>Thanks!</p>\", \"inReplyTo\": \"<q-1@example.com>\", "
                    + "\"references\": [\"<q-0@example.com>\", \"<q-1@example.com>\"]}";
            submit("first.json", request);
            Path sent = data.resolve("outbox-sent/first.json.sent.json");
            RunningMailbridge.await(Duration.ofSeconds(10), () -> Files.exists(sent), "sent record");
            JsonNode record = json.readTree(sent.toFile());
            assertEquals("order-4711-confirmation", record.get("id").asText());
            assertTrue(record.get("serverReply").asText().startsWith("250 2.0.0 Ok: queued as"), record.toString());
            String messageId = record.get("messageId").asText();

            submit("resubmitted.json", request); // same id, another file: a retry by an upstream system
            RunningMailbridge.await(Duration.ofSeconds(10), () -> !Files.exists(data.resolve("outbox/resubmitted.json")),
                    "resubmission consumed");
            Thread.sleep(500);
            assertEquals(1, smtp.accepted.size(), "sent once");
            assertFalse(Files.exists(data.resolve("outbox-sent/resubmitted.json.sent.json")));

            String wire = smtp.accepted.get(0);
            assertTrue(wire.contains("Message-ID: " + messageId), wire);
            assertTrue(wire.contains("In-Reply-To: <q-1@example.com>"), wire);
            assertTrue(wire.contains("References: <q-0@example.com> <q-1@example.com>"), wire);
            MimeMessage parsed = new MimeMessage(null, new java.io.ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
            assertTrue(parsed.isMimeType("multipart/alternative"));
            MimeMultipart parts = (MimeMultipart) parsed.getContent();
            assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
            assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        }
    }

    @Test
    void aBurstOfRequestsSharesOneSmtpConnection() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(); RunningMailbridge mb = start(smtp.port())) {
            for (int i = 1; i <= 20; i++) {
                submit("burst-" + i + ".txt", "To: bob@example.com\nSubject: burst " + i + "\n\nbody " + i + "\n");
            }
            RunningMailbridge.await(Duration.ofSeconds(20), () -> smtp.accepted.size() >= 20, "20 sent");
            assertEquals(1, smtp.connections.get(), "one connection for the burst");
        }
    }

    @Test
    void nonAsciiSubjectAndNamesAreEncodedAndBodyIsUtf8() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer(); RunningMailbridge mb = start(smtp.port())) {
            submit("utf8.txt", "To: \"Jürgen Müller\" <j@example.com>\nSubject: Grüße – 請求書\n\nZeile mit Umlauten: äöüß €\n");
            RunningMailbridge.await(Duration.ofSeconds(10), () -> smtp.accepted.size() >= 1, "sent");
            String wire = smtp.accepted.get(0);
            assertTrue(wire.lines().allMatch(l -> l.chars().allMatch(c -> c < 128)), "7-bit clean on the wire:\n" + wire);
            assertTrue(wire.contains("Subject: =?UTF-8?"), wire);
            MimeMessage parsed = new MimeMessage(null, new java.io.ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)));
            assertEquals("Grüße – 請求書", parsed.getSubject());
            assertEquals("Jürgen Müller", ((jakarta.mail.internet.InternetAddress) parsed.getRecipients(
                    jakarta.mail.Message.RecipientType.TO)[0]).getPersonal());
            assertEquals("Zeile mit Umlauten: äöüß €", ((String) parsed.getContent()).trim());
            assertTrue(parsed.getContentType().toLowerCase().contains("charset=utf-8"));
        }
    }
}
