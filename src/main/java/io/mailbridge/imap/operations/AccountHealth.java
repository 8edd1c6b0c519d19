package io.mailbridge.imap.operations;

import java.time.Instant;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health of one IMAP account: DOWN while its syncs fail (refused login, server unreachable), with
 * the cause in words and the next attempt; UP after a successful sync. Neither a readiness nor a
 * liveness check: one bad mailbox must not take the whole service out of a load balancer or get
 * it restarted (a restart cannot fix a wrong password). It shows in {@code /observe/health}.
 */
public final class AccountHealth extends AbstractHealthCheck {

    private final String account;
    private final String server;
    private volatile String failure;
    private volatile String folder;
    private volatile int failures;
    private volatile Instant nextAttempt;
    private volatile Instant lastSuccess;

    public AccountHealth(String routeId, String account, String server) {
        super("mailbridge", id(routeId == null ? account : routeId));
        this.account = account;
        this.server = server;
    }

    /** The check's id for a route: {@code imap-account-<route>} (the mailboxes check looks it up by this). */
    public static String id(String routeId) {
        return "imap-account-" + routeId;
    }

    /** Shows this check in the context's health registry (when health checks are on). */
    public void register(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            registry.register(this);
        }
    }

    public void unregister(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            registry.unregister(this);
        }
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    public void succeeded() {
        failure = null;
        failures = 0;
        nextAttempt = null;
        lastSuccess = Instant.now();
    }

    public void failed(String folder, String cause, int failuresInARow, Instant nextAttempt) {
        this.folder = folder;
        this.failure = cause;
        this.failures = failuresInARow;
        this.nextAttempt = nextAttempt;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("account", account);
        builder.detail("server", server);
        if (lastSuccess != null) {
            builder.detail("last.successful.sync", lastSuccess.toString());
        }
        String cause = failure;
        if (cause != null) {
            builder.detail("folder", folder);
            builder.detail("failures", failures);
            builder.detail("next.attempt", String.valueOf(nextAttempt));
            builder.message("IMAP account " + account + " (" + server + "): " + cause);
            builder.down();
        } else if (lastSuccess != null) {
            builder.up();
        } else {
            builder.unknown();
        }
    }
}
