package io.mailbridge.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mailbridge.config.Durations;
import io.mailbridge.component.LockHolders;
import io.mailbridge.imap.operations.AccountHealth;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One readiness check for all mailboxes, with one detail per account ({@code account.<name>}: UP, DOWN and
 * why, or STANDBY: read by <replica-id> where another replica reads it). It is DOWN when none of the mailboxes this instance reads
 * can be read: each has failed its latest attempt, or is held back or stopped. One failing among several
 * keeps it UP (the others still deliver), and so does a standby replica that reads no mailbox.
 */
public class MailboxesHealthCheck extends AbstractHealthCheck {

    private final Map<Account, String> held = new LinkedHashMap<>();

    public MailboxesHealthCheck() {
        this(STARTING_GRACE);
    }

    /** @param startingGrace how long a lock held here may go without a consumer (tests shorten it) */
    MailboxesHealthCheck(Duration startingGrace) {
        super("mailbridge", "mailboxes");
        this.startingGrace = startingGrace;
    }

    void add(Account account, String heldBecause) {
        held.put(account, heldBecause);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** How one mailbox stands on this instance. */
    private record Standing(boolean readHere, String problem) {
        static final Standing STANDBY = new Standing(false, null);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> failing = new ArrayList<>();
        int readHere = 0;
        for (Map.Entry<Account, String> e : held.entrySet()) {
            Standing standing = standing(e.getKey(), e.getValue());
            builder.detail("account." + e.getKey().name(), !standing.readHere()
                    ? "STANDBY: read " + LockHolders.standby(getCamelContext(), e.getKey().routeId())
                    : standing.problem() == null ? "UP" : "DOWN: " + standing.problem());
            readHere += standing.readHere() ? 1 : 0;
            if (standing.problem() != null) {
                failing.add(e.getKey().name());
            }
        }
        if (readHere > 0 && failing.size() == readHere) {
            builder.message("none of the " + readHere + " mailboxes read here can be read: " + String.join(", ", failing));
            builder.down();
            return;
        }
        builder.message(failing.isEmpty() ? readHere + " of " + held.size() + " mailboxes read here, all polling"
                : failing.size() + " of " + readHere + " mailboxes failing: " + String.join(", ", failing));
        builder.up();
    }

    /** A replica that holds an account's lock starts its consumer within seconds; longer means it did not start. */
    static final Duration STARTING_GRACE = Duration.ofSeconds(30);
    private final Duration startingGrace;
    private final Map<String, Instant> startingSince = new ConcurrentHashMap<>();

    /**
     * No consumer here: another replica reads the account (standby), or this one holds the lock and is starting it.
     * Holding the lock without a consumer past the grace ({@link #STARTING_GRACE}) is a failure, not a standby: Camel's master
     * consumer gave up starting the route, and nobody reads the account.
     */
    private Standing notStarted(Account account) {
        if (!LockHolders.runsHere(getCamelContext(), account.routeId())) {
            startingSince.remove(account.routeId());
            return Standing.STANDBY;
        }
        Instant since = startingSince.computeIfAbsent(account.routeId(), id -> Instant.now());
        if (Duration.between(since, Instant.now()).compareTo(startingGrace) < 0) {
            return Standing.STANDBY; // "read by this replica, starting"
        }
        return new Standing(true, "this replica holds the account's lock but its consumer has not started for "
                + Durations.words(startingGrace.toMillis()));
    }

    /** Why this account cannot be read here (held back, route stopped, its latest sync failed), or standby. */
    private Standing standing(Account account, String heldBecause) {
        if (heldBecause != null) {
            return new Standing(true, heldBecause);
        }
        ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(account.routeId());
        if (status == null || !status.isStarted()) {
            return new Standing(true, "route " + account.routeId() + " is " + (status == null ? "missing" : status.name().toLowerCase()));
        }
        // the account's own check (imap-account-<route>) exists while its consumer runs: under a cluster service
        // the route is started on every replica, but only the lock holder starts the consumer
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        HealthCheck own = registry == null ? null : registry.getCheck(AccountHealth.id(account.routeId())).orElse(null);
        if (own == null) {
            return notStarted(account);
        }
        startingSince.remove(account.routeId());
        HealthCheck.Result r = own.call();
        if (r.getState() == HealthCheck.State.DOWN) {
            Object failures = r.getDetails().get("failures");
            return new Standing(true, failures + " failed polls: " + r.getMessage().orElse(""));
        }
        return new Standing(true, null);
    }
}
