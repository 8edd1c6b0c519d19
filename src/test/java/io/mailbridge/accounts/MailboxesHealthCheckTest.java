package io.mailbridge.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mailbridge.component.LockHolders;
import io.mailbridge.imap.component.MailboxConfiguration;
import io.mailbridge.support.RunningMailbridge;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that holds an account's lock but whose mailbox consumer never starts (here: the route under
 * {@code master:} is not a mailbox route, so no consumer of ours appears) says "starting" for the grace, then DOWN:
 * nobody reads that account, and readiness must say so.
 */
class MailboxesHealthCheckTest {

    @TempDir
    Path locks;

    @Test
    void aLockHeldHereWithoutAConsumerIsStartingThenDown() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            FileLockClusterService cluster = new FileLockClusterService();
            cluster.setRoot(locks.toString());
            cluster.setAcquireLockDelay(10, TimeUnit.MILLISECONDS);
            cluster.setAcquireLockInterval(100, TimeUnit.MILLISECONDS);
            context.addService(cluster);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("master:mailbridge-ops:direct:ops").routeId("imap-ops").to("log:ops");
                }
            });
            context.start();
            Account ops = new Account("ops", new MailboxConfiguration(), "file:inbox", Map.of(), Map.of());
            MailboxesHealthCheck check = new MailboxesHealthCheck(Duration.ofMillis(800));
            check.setCamelContext(context);
            check.add(ops, null);
            RunningMailbridge.await(Duration.ofSeconds(10), () -> LockHolders.runsHere(context, "imap-ops"), "the lock taken here");

            HealthCheck.Result starting = check.call();
            assertEquals(HealthCheck.State.UP, starting.getState());
            assertEquals("STANDBY: read by this replica, starting", starting.getDetails().get("account.ops"));

            Thread.sleep(1000);
            HealthCheck.Result stuck = check.call();
            assertEquals(HealthCheck.State.DOWN, stuck.getState(), stuck.getMessage().orElse(""));
            assertTrue(String.valueOf(stuck.getDetails().get("account.ops")).startsWith("DOWN: this replica holds the account's lock"
                    + " but its consumer has not started"), stuck.getDetails().toString());
        }
    }
}
