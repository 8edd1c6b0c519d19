package io.mailbridge.imap.operations;

import io.mailbridge.config.Durations;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one account's failed and recovered syncs do: the back-off before the next attempt, one WARN
 * line a person can read (who, where, why in words, when the next try is; stack trace at DEBUG), the
 * account's health check and the login-failure counter.
 */
public final class SyncFailures {

    private static final Logger LOG = LoggerFactory.getLogger(SyncFailures.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'");

    private final String account;
    private final String host;
    private final String server;
    private final Backoff backoff;
    private final AccountHealth health;
    private final ImapMetrics metrics;

    /** @param server {@code host:port}, as logs show it */
    public SyncFailures(String account, String host, String server, Backoff backoff, AccountHealth health, ImapMetrics metrics) {
        this.account = account;
        this.host = host;
        this.server = server;
        this.backoff = backoff;
        this.health = health;
        this.metrics = metrics;
    }

    /** False while the account waits out a failure; the log said when the next attempt is. */
    public boolean isDue() {
        return backoff.isDue();
    }

    public void succeeded() {
        if (backoff.failures() > 0) {
            LOG.info("IMAP {} ({}): syncing again after {} failed attempt(s)", account, server, backoff.failures());
        }
        backoff.succeeded();
        health.succeeded();
    }

    public void failed(String folder, Exception failure) {
        Duration delay = backoff.failed(FailureDescriptions.kindOf(failure));
        // refused logins are counted where they happen (MailLogin -> ImapMetrics.loginRefused), once per attempt:
        // here a failure may be a wait out of the login's back-off, with nothing sent to anyone
        String cause = FailureDescriptions.describe(failure, host);
        String next = TIME.format(backoff.nextAttempt().atOffset(ZoneOffset.UTC));
        LOG.warn("IMAP {} folder {} ({}): {}; next try in {} at {} (attempt {} failed)", account, folder, server,
                cause, Durations.words(delay.toMillis()), next, backoff.failures());
        LOG.debug("IMAP {} folder {}: failure detail", account, folder, failure);
        health.failed(folder, cause, backoff.failures(), backoff.nextAttempt());
    }
}
