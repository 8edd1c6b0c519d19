package io.mailbridge.sink;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.mailbridge.component.MailbridgeHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the sink is taking records. The inbound error handler reports each failed try here
 * ({@link #onFailure()}, Camel's onExceptionOccurred); the route reports each record the sink
 * took ({@link #onDelivered()}). An outage gets one WARN per back-off step, naming the cause and
 * the next try, and makes {@link SinkHealthCheck} report the service not ready.
 */
public class SinkStatus {

    private static final Logger LOG = LoggerFactory.getLogger(SinkStatus.class);

    /** An ongoing outage, as the health check shows it. */
    public record Outage(Instant since, String record, int failedTries, String cause, Instant nextTry) {
    }

    private final String sink;
    private final SinkBackoff backoff;
    private final PartialFiles partialFiles = new PartialFiles();
    private volatile Outage outage;

    /** @param sinkUri the sink's endpoint URI; only its masked form is kept (no passwords in logs or health) */
    public SinkStatus(String sinkUri, SinkBackoff backoff) {
        this.sink = URISupport.sanitizeUri(sinkUri);
        this.backoff = backoff;
    }

    /** The sink's URI with credentials masked. */
    public String sink() {
        return sink;
    }

    public Optional<Outage> outage() {
        return Optional.ofNullable(outage);
    }

    /** For the error handler's onExceptionOccurred: runs after every failed try, before the wait. */
    public Processor onFailure() {
        return this::failed;
    }

    /** A route step after the sink: the record was taken. */
    public Processor onDelivered() {
        return exchange -> delivered(exchange);
    }

    private void failed(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        partialFiles.removeAfterFailedWrite(exchange);
        if (!SinkFailures.isSinkUnavailable(error)) {
            return; // dead-lettered by the error handler, not an outage
        }
        int failedTries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        long delay = backoff.delayAfter(failedTries);
        // Camel takes the wait from this header when present: one back-off formula, here
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        Instant now = Instant.now();
        Outage previous = outage;
        String record = exchange.getIn().getHeader(MailbridgeHeaders.KEY, String.class);
        Outage current = new Outage(previous == null ? now : previous.since(), record, failedTries,
                SinkFailures.describe(error), now.plusMillis(delay));
        outage = current;
        // with many sends in flight each record fails each step: one WARN per back-off step of the outage, the rest DEBUG
        boolean newStep = previous == null || failedTries > previous.failedTries();
        String line = "Sink {} unavailable: {}. Record {} waits, try {} failed; next try in {} at {}";
        Object[] args = {sink, current.cause(), record, failedTries, words(delay), current.nextTry().truncatedTo(ChronoUnit.SECONDS)};
        if (newStep) {
            LOG.warn(line, args);
        } else {
            LOG.debug(line, args);
        }
        LOG.debug("Sink failure of {}", record, error);
    }

    private void delivered(Exchange exchange) {
        Outage ended = outage;
        if (ended != null) {
            outage = null;
            LOG.info("Sink {} available again after {}: {} delivered", sink,
                    words(Duration.between(ended.since(), Instant.now()).toMillis()),
                    exchange.getIn().getHeader(MailbridgeHeaders.KEY, String.class));
        }
    }

    static String words(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() == 0) {
            return String.format("%.1f s", millis / 1000.0).replace(".0 s", " s");
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
