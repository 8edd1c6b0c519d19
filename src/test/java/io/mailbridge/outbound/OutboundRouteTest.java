package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.RunningMailbridge;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The YAML outbound route against GreenMail SMTP: what arrives, and what lands in the failed folder. */
class OutboundRouteTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    RunningMailbridge mb;

    @BeforeEach
    void start() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        for (String rcpt : List.of("bob", "carol", "dave", "erin", "john", "victim")) {
            greenMail.setUser(rcpt + "@example.com", rcpt, "pw");
        }
        mb = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(), "alice", "secret",
                Map.of("mail.imap.start-from", "now"));
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        mb.close();
    }

    private void submit(String name, String content) throws Exception {
        RunningMailbridge.submit(data, name, content);
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    private static void awaitReceived(int count) throws InterruptedException {
        RunningMailbridge.await(Duration.ofSeconds(10), () -> greenMail.getReceivedMessages().length >= count,
                count + " messages received by the SMTP server");
    }

    @Test
    void jsonRequestArrivesWithRecipientsSubjectAndBody() throws Exception {
        submit("r1.json", """
                {"to": ["bob@example.com", "Carol Ä <carol@example.com>"], "cc": ["dave@example.com"],
                 "bcc": ["erin@example.com"], "from": "ops@example.com", "subject": "Grüße from JSON",
                 "text": "Line one\\nZeile zwei: äöü\\n"}
                """);
        awaitReceived(4); // one copy per recipient
        MimeMessage m = greenMail.getReceivedMessages()[0];
        assertEquals("Grüße from JSON", m.getSubject());
        assertEquals(List.of("bob@example.com", "carol@example.com"), addresses(m.getRecipients(Message.RecipientType.TO)));
        assertEquals("Carol Ä", ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[1]).getPersonal());
        assertEquals(List.of("dave@example.com"), addresses(m.getRecipients(Message.RecipientType.CC)));
        assertEquals(List.of(), addresses(m.getRecipients(Message.RecipientType.BCC)), "Bcc is not disclosed");
        assertEquals("ops@example.com", addresses(m.getFrom()).get(0));
        assertTrue(m.getContentType().toLowerCase().startsWith("text/plain"), m.getContentType());
        assertTrue(m.getContentType().toLowerCase().contains("utf-8"), m.getContentType());
        // SMTP cannot tell the body's last line break from the end-of-data marker; compare without it
        assertEquals("Line one\nZeile zwei: äöü", ((String) m.getContent()).replace("\r\n", "\n").stripTrailing());
        RunningMailbridge.await(Duration.ofSeconds(5), () -> !Files.exists(data.resolve("outbox/r1.json")),
                "request removed from the outbox after the server accepted it");
        assertEquals(4, Arrays.stream(greenMail.getReceivedMessages()).filter(x -> {
            try {
                return "Grüße from JSON".equals(x.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).count());
    }

    @Test
    void textRequestWithHeaderLinesArrives() throws Exception {
        submit("r2.txt", "To: bob@example.com, \"Doe, John\" <john@example.com>\nCc: carol@example.com\n"
                + "Subject: From a text file\n\nHello,\n\nbody here.\n");
        awaitReceived(3);
        MimeMessage m = greenMail.getReceivedMessages()[0];
        assertEquals("From a text file", m.getSubject());
        assertEquals(List.of("bob@example.com", "john@example.com"), addresses(m.getRecipients(Message.RecipientType.TO)));
        assertEquals(List.of("carol@example.com"), addresses(m.getRecipients(Message.RecipientType.CC)));
        assertEquals("mailbridge@localhost", addresses(m.getFrom()).get(0), "default sender is mail.smtp.from");
        assertEquals("Hello,\n\nbody here.", GreenMailUtil.getBody(m).replace("\r\n", "\n").stripTrailing());
    }

    @Test
    void eachBadRequestLandsInTheFailedFolderWithItsReasonAndNothingIsSent() throws Exception {
        Map<String, String> bad = Map.of(
                "no-recipient.json", "{\"subject\": \"hi\", \"text\": \"x\"}",
                "injection.txt", "To: bob@example.com\nSubject: hi\rBcc: victim@example.com\n\nx",
                "injection.json", "{\"to\": [\"bob@example.com\"], \"subject\": \"hi\\r\\nBcc: victim@example.com\", \"text\": \"x\"}",
                "not-json.json", "{\"to\": [\"bob@example.com\"], \"subject\": ",
                "bad-address.json", "{\"to\": [\"not an address\"], \"text\": \"x\"}",
                "no-blank-line.txt", "To: bob@example.com\nSubject: hi",
                "unknown-header.txt", "To: bob@example.com\nX-Evil: 1\n\nbody");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            submit(e.getKey(), e.getValue());
        }
        Path failed = data.resolve("outbox-failed");
        for (String name : bad.keySet()) {
            RunningMailbridge.await(Duration.ofSeconds(10), () -> Files.exists(failed.resolve(name + ".error")),
                    name + " in the failed folder");
            assertEquals(bad.get(name), Files.readString(failed.resolve(name)), "the original request is kept");
            // the outbox file is deleted when the exchange completes, just after the .error file is written
            RunningMailbridge.await(Duration.ofSeconds(5), () -> !Files.exists(data.resolve("outbox").resolve(name)),
                    name + " left the outbox");
        }
        assertTrue(Files.readString(failed.resolve("no-recipient.json.error")).contains("no recipient"));
        assertTrue(Files.readString(failed.resolve("injection.json.error")).contains("header injection"));
        assertTrue(Files.readString(failed.resolve("not-json.json.error")).contains("not valid JSON"));
        assertTrue(Files.readString(failed.resolve("bad-address.json.error")).contains("invalid address"));
        assertTrue(Files.readString(failed.resolve("no-blank-line.txt.error")).contains("blank line"));
        assertTrue(Files.readString(failed.resolve("unknown-header.txt.error")).contains("X-Evil"));
        Thread.sleep(500);
        assertEquals(0, greenMail.getReceivedMessages().length, "nothing was sent");
    }
}
