package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.Health;
import io.mailbridge.support.RunningMailbridge;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness answers 503 when none of the mailboxes this instance reads can be read, from the first failed
 * attempt on; one failing mailbox among working ones keeps the service ready and is named in the details.
 */
class ReadinessTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void theOnlyMailboxUnreachableMakesTheServiceNotReady() throws Exception {
        int nothingListens = Health.freePort();
        int management = Health.freePort();
        try (RunningMailbridge mb = RunningMailbridge.start(data, nothingListens, Health.freePort(), "alice", "secret",
                Map.of("mail.imap.account", "alice", "camel.management.enabled", "true",
                        "camel.management.port", String.valueOf(management)))) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> readinessStatus(management) == 503,
                    "readiness 503 after the first failed attempt");
            HttpResponse<String> ready = Health.readiness(management);
            assertEquals("DOWN", Health.status(ready), ready.body());
            HealthCheck.Result details = mailboxes(mb).call();
            assertEquals(HealthCheck.State.DOWN, details.getState());
            String account = String.valueOf(details.getDetails().get("account.default"));
            assertTrue(account.startsWith("DOWN: ") && account.contains("connection refused"), account);
            assertTrue(details.getMessage().orElse("").contains("none of the 1 mailboxes read here can be read"),
                    details.getMessage().toString());
        }
    }

    @Test
    void oneFailingMailboxAmongWorkingOnesKeepsTheServiceReady() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        int management = Health.freePort();
        try (RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", Map.of("mail.accounts", "good,broken", "mail.account.broken.port",
                        String.valueOf(Health.freePort()), "mail.imap.poll-delay", "300",
                        "camel.management.enabled", "true", "camel.management.port", String.valueOf(management)))) {
            HealthCheck mailboxes = mailboxes(mb);
            RunningMailbridge.await(Duration.ofSeconds(20),
                    () -> String.valueOf(mailboxes.call().getDetails().get("account.broken")).startsWith("DOWN: "),
                    "the broken mailbox named DOWN");
            HttpResponse<String> ready = Health.readiness(management);
            assertEquals(200, ready.statusCode(), ready.body());
            HealthCheck.Result details = mailboxes.call();
            assertEquals(HealthCheck.State.UP, details.getState());
            assertEquals("UP", details.getDetails().get("account.good"));
            assertTrue(details.getMessage().orElse("").contains("1 of 2 mailboxes failing: broken"), details.getMessage().toString());
            // the per-account details come with ?data=true, as the docs say (Camel 4.18 shows only statuses without it)
            assertTrue(!get(management, "/observe/health").contains("account.good")
                    && get(management, "/observe/health?data=true").contains("\"account.good\":\"UP\""), "details by ?data=true");
        }
    }

    private static String get(int management, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + management + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int readinessStatus(int management) {
        try {
            return Health.readiness(management).statusCode();
        } catch (Exception e) {
            return -1; // the management server is not up yet
        }
    }

    private static HealthCheck mailboxes(RunningMailbridge mb) {
        return HealthCheckRegistry.get(mb.context()).getCheck("mailboxes").orElseThrow();
    }
}
