package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.mailbridge.support.Health;
import io.mailbridge.support.RunningMailbridge;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One account's IMAP server being down shows in the health details but keeps the service ready. */
class ReadinessTest {

    @TempDir
    Path data;

    @Test
    void anUnreachableMailServerShowsInTheDetailsAndTheServiceStaysReady() throws Exception {
        int nothingListens = Health.freePort();
        int management = Health.freePort();
        try (RunningMailbridge mb = RunningMailbridge.start(data, nothingListens, Health.freePort(), "alice", "secret",
                Map.of("mail.imap.account", "alice", "camel.management.enabled", "true",
                        "camel.management.port", String.valueOf(management)))) {
            HealthCheck mailboxes = HealthCheckRegistry.get(mb.context()).getCheck("mailboxes").orElseThrow();
            RunningMailbridge.await(Duration.ofSeconds(20), () -> failedPolls(mailboxes) >= 2, "two failed polls");

            HttpResponse<String> ready = Health.readiness(management);
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", Health.status(ready), ready.body());
            HealthCheck.Result details = mailboxes.call();
            assertEquals(HealthCheck.State.UP, details.getState());
            String account = String.valueOf(details.getDetails().get("account.default"));
            assertTrue(account.startsWith("DOWN: ") && account.contains("failed polls"), account);
            assertTrue(details.getMessage().orElse("").contains("1 of 1 mailboxes failing"), details.getMessage().toString());
        }
    }

    private static long failedPolls(HealthCheck check) {
        String account = String.valueOf(check.call().getDetails().get("account.default"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("DOWN: (\\d+) failed polls").matcher(account);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
