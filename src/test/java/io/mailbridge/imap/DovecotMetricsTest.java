package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per account and folder metrics, read from /observe/metrics the way Prometheus reads them. */
class DovecotMetricsTest {

    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("metrics");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void deliveredBacklogLastSyncAndIdleArePublishedPerFolder() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            for (int i = 1; i <= 3; i++) {
                imap.append("Metered", TestMessages.plain("a@example.com", "alice@localhost", "m" + i, "x"), new Flags(), new Date());
            }
            long before = System.currentTimeMillis() / 1000;
            try (RunningMailbridge mb = RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER, DovecotServer.PASSWORD,
                    Map.of("mail.imap.folders", "INBOX,Metered", "mail.imap.account", "support", "mail.imap.poll-delay", "60s",
                            "camel.management.enabled", "true", "camel.management.port", String.valueOf(port)))) {
                mb.awaitRecords(3);
                DovecotIdleTest.awaitIdling(mb);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                metrics.lines().filter(l -> l.startsWith("mailbridge_")).forEach(System.out::println);

                String metered = "account=\"support\",folder=\"Metered\"";
                assertTrue(value(metrics, "mailbridge_imap_records_delivered_total", metered) == 3.0, metrics);
                assertTrue(value(metrics, "mailbridge_imap_records_dead_lettered_total", metered) == 0.0, metrics);
                assertTrue(value(metrics, "mailbridge_imap_backlog", metered) == 0.0, metrics);
                assertTrue(value(metrics, "mailbridge_imap_idle_connected", metered) == 1.0, metrics);
                assertTrue(value(metrics, "mailbridge_imap_idle_connected", "account=\"support\",folder=\"INBOX\"") == 1.0, metrics);
                assertTrue(value(metrics, "mailbridge_imap_last_successful_sync_seconds", metered) >= before, metrics);
                assertTrue(value(metrics, "mailbridge_imap_login_failures_total", "account=\"support\"") == 0.0, metrics);
            }
        }
    }

    /** The sample value of a metric whose labels include the given ones, in Prometheus' text format. */
    private static double value(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(name + "{" + labels + "} not in /observe/metrics");
    }
}
