package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.ReportMessages;
import io.mailbridge.support.RunningMailbridge;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 end to end: a request is sent through SMTP, the bounce of it arrives in the inbound mailbox,
 * and its record names the request; the bounce counts on /observe/metrics and is logged with the request id.
 */
class OwnMailBounceTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void theBounceOfARequestWeSentCarriesItsRequestIdAndCounts() throws Exception {
        GreenMailUser alice = greenMail.setUser("alice@localhost", "alice", "secret");
        int http = freePort();
        try (LogCapture log = LogCapture.of(OutboundMetrics.class);
                RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                        "alice", "secret", Map.of("mail.imap.start-from", "now", "camel.management.enabled", "true",
                                "camel.management.port", String.valueOf(http)))) {
            RunningMailbridge.submit(data, "order.txt", "Id: order-42\nTo: nobody@example.net\nSubject: Your order 42\n\nShipped.\n");
            Path sentFile = data.resolve("outbox-sent/order.txt.sent.json");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> Files.exists(sentFile), "the request sent");
            JsonNode sent = JSON.readTree(sentFile.toFile());
            String messageId = sent.get("messageId").asText();

            alice.deliver(new MimeMessage(Session.getInstance(new java.util.Properties()),
                    new ByteArrayInputStream(ReportMessages.postfixBounce(messageId, "nobody@example.net"))));
            List<JsonNode> records = mb.awaitRecords(1);
            JsonNode report = records.get(0).get("deliveryReport");

            assertEquals(messageId, report.get("originalMessageId").asText());
            assertEquals("order-42", report.get("sentByMailbridge").get("requestId").asText(), report.toString());
            assertEquals(messageId, report.get("sentByMailbridge").get("messageId").asText());
            assertEquals(sent.get("sentAt").asText(), report.get("sentByMailbridge").get("sentAt").asText());
            JsonNode recipient = report.get("recipients").get(0);
            assertEquals("nobody@example.net", recipient.get("finalRecipient").asText());
            assertEquals("failed", recipient.get("action").asText());
            assertEquals("5.1.1", recipient.get("status").asText());

            RunningMailbridge.await(Duration.ofSeconds(10), () -> value(metrics(http), "mailbridge_outbound_bounced_total") == 1.0,
                    "the bounce counted");
            assertEquals(0.0, value(metrics(http), "mailbridge_outbound_delayed_total"));
            List<String> info = log.at(Level.INFO).stream().map(LogCapture.Line::message).toList();
            assertTrue(info.stream().anyMatch(l -> l.startsWith("Outbound request order-42 bounced for nobody@example.net: status 5.1.1")),
                    info.toString());
        }
    }

    private static String metrics(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
