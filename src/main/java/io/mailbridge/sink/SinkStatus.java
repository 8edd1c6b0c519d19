package io.mailbridge.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mailbridge.component.DoublingDelay;
import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.config.Durations;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the sinks are taking records, each sink on its own (a mailbox may have a sink of its
 * own, {@code mail.account.<name>.sink-uri}). The inbound error handler reports each failed try
 * here ({@link #onFailure()}, Camel's onExceptionOccurred); the route reports each record a sink
 * took ({@link #onDelivered()}). The sink is the one {@link SinkHeaders} named in the exchange
 * property {@link #SINK}. An outage gets one WARN per back-off step, naming the sink, the cause
 * and the next try, and makes {@link SinkHealthCheck} report the service not ready until that
 * same sink took a record again.
 */
public class SinkStatus {

    /** Exchange property: the masked URI of the sink this record goes to. */
    public static final String SINK = "MailbridgeSink";

    private static final Logger LOG = LoggerFactory.getLogger(SinkStatus.class);

    /** An ongoing outage of one sink, as the health check shows it. */
    public record Outage(String sink, Instant since, String record, int failedTries, String cause, Instant nextTry) {
    }

    /**
     * An outage no record has tried since its next try plus this long is over: no route sends to that
     * sink any more (its mailbox stopped, or moved to another replica), so it must not hold readiness DOWN.
     */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);

    private final String defaultSink;
    private final DoublingDelay backoff;
    private final Clock clock;
    private final PartialFiles partialFiles = new PartialFiles();
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();

    /** @param defaultSinkUri {@code mail.sink.uri}; only masked URIs are kept (no passwords in logs or health) */
    public SinkStatus(String defaultSinkUri, DoublingDelay backoff) {
        this(defaultSinkUri, backoff, Clock.systemUTC());
    }

    SinkStatus(String defaultSinkUri, DoublingDelay backoff, Clock clock) {
        this.defaultSink = masked(defaultSinkUri);
        this.backoff = backoff;
        this.clock = clock;
    }

    /** A sink URI as logs and health show it: credentials masked. */
    public static String masked(String sinkUri) {
        return URISupport.sanitizeUri(sinkUri);
    }

    /** {@code mail.sink.uri} with credentials masked. */
    public String defaultSink() {
        return defaultSink;
    }

    /** The sinks now unavailable, the longest outage first. */
    public List<Outage> outages() {
        Instant now = clock.instant();
        for (Outage o : outages.values()) {
            if (now.isAfter(o.nextTry().plus(ABANDONED_AFTER)) && outages.remove(o.sink(), o)) {
                LOG.info("Sink {}: no record has waited for it since {} (its mailbox stopped or moved to another replica);"
                        + " readiness no longer counts its outage", o.sink(), o.nextTry().truncatedTo(ChronoUnit.SECONDS));
            }
        }
        return outages.values().stream().sorted(Comparator.comparing(Outage::since)).toList();
    }

    /** For the error handler's onExceptionOccurred: runs after every failed try, before the wait. */
    public Processor onFailure() {
        return this::failed;
    }

    /** A route step after the sink: the record was taken. */
    public Processor onDelivered() {
        return exchange -> delivered(exchange);
    }

    private String sinkOf(Exchange exchange) {
        return exchange.getProperty(SINK, defaultSink, String.class);
    }

    private void failed(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        partialFiles.removeAfterFailedWrite(exchange);
        if (!SinkFailures.isSinkUnavailable(error)) {
            return; // dead-lettered by the error handler, not an outage
        }
        int failedTries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        long delay = backoff.after(failedTries).toMillis();
        // Camel takes the wait from this header when present: one back-off formula, here
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        Instant now = clock.instant();
        String sink = sinkOf(exchange);
        String changeId = exchange.getIn().getHeader(MailbridgeHeaders.CHANGE_ID, String.class);
        String record = changeId != null ? changeId : exchange.getIn().getHeader(MailbridgeHeaders.KEY, String.class);
        String cause = SinkFailures.describe(error);
        boolean[] newStep = new boolean[1];
        Outage current = outages.compute(sink, (s, previous) -> {
            // with many sends in flight each record fails each step: one WARN per back-off step of the outage, the rest DEBUG
            newStep[0] = previous == null || failedTries > previous.failedTries();
            return new Outage(s, previous == null ? now : previous.since(), record,
                    previous == null ? failedTries : Math.max(failedTries, previous.failedTries()), cause, now.plusMillis(delay));
        });
        String line = "Sink {} unavailable: {}. {} {} waits, try {} failed; next try in {} at {}";
        Object[] args = {sink, cause, changeId != null ? "Change event" : "Record", record, failedTries, Durations.words(delay), current.nextTry().truncatedTo(ChronoUnit.SECONDS)};
        if (newStep[0]) {
            LOG.warn(line, args);
        } else {
            LOG.debug(line, args);
        }
        LOG.debug("Sink failure of {}", record, error);
    }

    private void delivered(Exchange exchange) {
        String sink = sinkOf(exchange);
        Outage ended = outages.remove(sink);
        if (ended != null) {
            LOG.info("Sink {} available again after {}: {} delivered", sink,
                    Durations.words(Duration.between(ended.since(), clock.instant()).toMillis()),
                    exchange.getIn().getHeader(MailbridgeHeaders.KEY, String.class));
        }
    }
}
