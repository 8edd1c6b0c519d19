package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Outbound sent, failed and retried counters on /observe/metrics. */
class OutboundMetricsTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void sentAndFailedRequestsAreCounted() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        int http = freePort();
        try (RunningMailbridge mb = start(greenMail.getSmtp().getPort(), http, Map.of())) {
            RunningMailbridge.submit(data, "good.txt", "To: bob@example.com\nSubject: hi\n\nbody\n");
            RunningMailbridge.submit(data, "bad.json", "{\"subject\": \"no recipient\", \"text\": \"x\"}");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> Files.exists(data.resolve("outbox-failed/bad.json"))
                    && greenMail.getReceivedMessages().length == 1, "one sent, one failed");
            RunningMailbridge.await(Duration.ofSeconds(10), () -> value(metrics(http), "mailbridge_outbound_sent_total") == 1.0,
                    "sent counted");
            String metrics = metrics(http);
            assertEquals(1.0, value(metrics, "mailbridge_outbound_failed_total"), metrics);
            assertEquals(0.0, value(metrics, "mailbridge_outbound_retried_total"), metrics);
        }
    }

    @Test
    void retriesOfAnUnreachableServerAreCounted() throws Exception {
        int http = freePort();
        try (RunningMailbridge mb = start(freePort(), http, Map.of("mail.smtp.max-redeliveries", "2"))) {
            RunningMailbridge.submit(data, "waits.txt", "To: bob@example.com\nSubject: hi\n\nbody\n");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> value(metrics(http), "mailbridge_outbound_retried_total") >= 2,
                    "two retries counted");
            String metrics = metrics(http);
            assertEquals(0.0, value(metrics, "mailbridge_outbound_sent_total"), metrics);
            assertEquals(0.0, value(metrics, "mailbridge_outbound_failed_total"), "a transient failure is not a failed request");
        }
    }

    private RunningMailbridge start(int smtpPort, int http, Map<String, String> more) throws Exception {
        Map<String, String> overrides = new java.util.HashMap<>(more);
        overrides.put("mail.imap.start-from", "now");
        overrides.put("camel.management.enabled", "true");
        overrides.put("camel.management.port", String.valueOf(http));
        return RunningMailbridge.start(data, greenMail.getImap().getPort(), smtpPort, "alice", "secret", overrides);
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
