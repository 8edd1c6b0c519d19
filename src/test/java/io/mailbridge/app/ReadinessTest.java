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
            assertEquals("alice", details.getDetails().get("imap-inbound.account"));
            assertTrue(details.getMessage().orElse("").contains("polling fails for alice"), details.getMessage().toString());
        }
    }

    private static long failedPolls(HealthCheck check) {
        Object n = check.call().getDetails().get("imap-inbound.failed.polls.in.a.row");
        return n instanceof Number number ? number.longValue() : 0;
    }
}
