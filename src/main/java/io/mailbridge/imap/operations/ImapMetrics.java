package io.mailbridge.imap.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.mailbridge.oauth2.MailLogin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Per account and folder meters on Camel's Micrometer registry, so they appear on
 * {@code /observe/metrics}: records delivered and dead-lettered, backlog as of the last sync, time
 * of the last successful sync, IDLE connected, refused logins. Without a registry (metrics off) the
 * values are still kept but not published.
 */
public final class ImapMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final String account;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, AtomicLong> backlog = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSync = new ConcurrentHashMap<>();
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Counter> idleMissed = new ConcurrentHashMap<>();
    private final Map<String, Counter> changes = new ConcurrentHashMap<>();
    private final Map<MailLogin.RefusedBy, Counter> loginFailures = new ConcurrentHashMap<>();
    private MailLogin login;
    private final Consumer<MailLogin.RefusedBy> refusals = this::loginRefused;

    private ImapMetrics(MeterRegistry registry, String account) {
        this.registry = registry;
        this.account = account;
    }

    /** Meters for the account's folders; {@code idleConnected} tells whether a folder is idling now. */
    public static ImapMetrics register(CamelContext context, String account, List<String> folders, Predicate<String> idleConnected) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        ImapMetrics metrics = new ImapMetrics(registry, account);
        for (String folder : folders) {
            metrics.backlog.put(folder, new AtomicLong());
            metrics.lastSync.put(folder, new AtomicLong());
        }
        if (registry != null) {
            metrics.registerMeters(folders, idleConnected);
        }
        return metrics;
    }

    /** Counts the logins this account's {@link MailLogin} sees refused, each refused attempt once. */
    public void countRefusals(MailLogin login) {
        if (this.login != null) {
            this.login.removeRefusalListener(refusals);
        }
        this.login = login;
        if (login != null) {
            login.addRefusalListener(refusals);
        }
    }

    private void registerMeters(List<String> folders, Predicate<String> idleConnected) {
        for (String folder : folders) {
            String[] tags = { "account", account, "folder", folder };
            delivered.put(folder, add(Counter.builder("mailbridge.imap.records.delivered").tags(tags)
                    .description("Records the sink accepted").register(registry)));
            deadLettered.put(folder, add(Counter.builder("mailbridge.imap.records.dead.lettered").tags(tags)
                    .description("Messages that went to the dead-letter endpoint").register(registry)));
            add(Gauge.builder("mailbridge.imap.backlog", backlog.get(folder), AtomicLong::get).tags(tags)
                    .description("Messages above the checkpoint that match the search, as of the last sync").register(registry));
            add(Gauge.builder("mailbridge.imap.last.successful.sync", lastSync.get(folder), v -> v.get() / 1000.0).tags(tags)
                    .baseUnit("seconds").description("When the folder was last synced without error (Unix time)").register(registry));
            add(Gauge.builder("mailbridge.imap.idle.connected", this, m -> idleConnected.test(folder) ? 1 : 0).tags(tags)
                    .description("1 while the folder waits in IMAP IDLE").register(registry));
            idleMissed.put(folder, add(Counter.builder("mailbridge.imap.idle.missed").tags(tags)
                    .description("New mail a poll found that the IDLE connection had not announced in time").register(registry)));
        }
        for (MailLogin.RefusedBy by : MailLogin.RefusedBy.values()) {
            loginFailures.put(by, add(Counter.builder("mailbridge.imap.login.failures").tag("account", account)
                    .tag("refused_by", by.label())
                    .description("Login attempts refused: by the IMAP server (a password or token it did not take), or by"
                            + " the OAuth2 token endpoint (no token to log in with)").register(registry)));
        }
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    public void delivered(String folder, boolean toDeadLetter) {
        Counter counter = (toDeadLetter ? deadLettered : delivered).get(folder);
        if (counter != null) {
            counter.increment();
        }
    }

    /** Change events the change sink acknowledged (mail.imap.changes), per folder and kind (flags, expunged). */
    public void changes(String folder, String change, int events) {
        if (registry == null) {
            return;
        }
        changes.computeIfAbsent(folder + "\u0000" + change, k -> add(Counter.builder("mailbridge.imap.changes")
                .tags("account", account, "folder", folder, "change", change)
                .description("Change events the change sink acknowledged").register(registry))).increment(events);
    }

    /** A poll found new mail the folder's IDLE connection did not announce (IdleWatchers). */
    public void idleMissed(String folder) {
        Counter counter = idleMissed.get(folder);
        if (counter != null) {
            counter.increment();
        }
    }

    public void backlog(String folder, long messages) {
        backlog.computeIfAbsent(folder, f -> new AtomicLong()).set(messages);
    }

    public void synced(String folder, long epochMillis) {
        lastSync.computeIfAbsent(folder, f -> new AtomicLong()).set(epochMillis);
    }

    /** A login attempt refused by the server or by the token endpoint (MailLogin tells each once). */
    public void loginRefused(MailLogin.RefusedBy by) {
        Counter counter = loginFailures.get(by);
        if (counter != null) {
            counter.increment();
        }
    }

    /**
     * Removes the gauges (backlog, last sync, IDLE: the replica reading the account now reports them) and keeps
     * the counters: a replica that gives the account up still exports what it delivered, so a sum over the
     * replicas is what was delivered, and they go on from there if the account comes back.
     */
    @Override
    public void close() {
        countRefusals(null);
        if (registry != null) {
            meters.stream().filter(m -> !(m instanceof Counter)).forEach(registry::remove);
        }
        meters.clear();
    }
}
