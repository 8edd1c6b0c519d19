package io.mailbridge.accounts;

import io.mailbridge.imap.operations.AccountHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One readiness check for all mailboxes, with one detail per account ({@code account.<name>}: UP, or
 * DOWN and why). The check itself stays UP: the sink is shared and is the one thing that fails
 * readiness (see sink.SinkHealthCheck); a failing mailbox is named here, in metrics and in the log.
 */
public class MailboxesHealthCheck extends AbstractHealthCheck {

    private final Map<Account, String> held = new LinkedHashMap<>();

    public MailboxesHealthCheck() {
        super("mailbridge", "mailboxes");
    }

    void add(Account account, String heldBecause) {
        held.put(account, heldBecause);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> failing = new ArrayList<>();
        for (Map.Entry<Account, String> e : held.entrySet()) {
            String problem = problem(e.getKey(), e.getValue());
            builder.detail("account." + e.getKey().name(), problem == null ? "UP" : "DOWN: " + problem);
            if (problem != null) {
                failing.add(e.getKey().name());
            }
        }
        builder.message(failing.isEmpty() ? "all " + held.size() + " mailboxes polling"
                : failing.size() + " of " + held.size() + " mailboxes failing: " + String.join(", ", failing));
        // the sink is shared, so only it takes the service out of rotation; a mailbox's failure shows here
        builder.up();
    }

    /** Why this account is not working, or null. */
    private String problem(Account account, String heldBecause) {
        if (heldBecause != null) {
            return heldBecause;
        }
        ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(account.routeId());
        if (status == null || !status.isStarted()) {
            return "route " + account.routeId() + " is " + (status == null ? "missing" : status.name().toLowerCase());
        }
        // the account's own check (imap-account-<route>), kept by its consumer: DOWN while its syncs fail
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        HealthCheck own = registry == null ? null
                : registry.getCheck(AccountHealth.id(account.routeId())).orElse(null);
        if (own != null) {
            HealthCheck.Result r = own.call();
            if (r.getState() == HealthCheck.State.DOWN) {
                Object failures = r.getDetails().get("failures");
                return failures + " failed polls: " + r.getMessage().orElse("");
            }
        }
        return null;
    }
}
