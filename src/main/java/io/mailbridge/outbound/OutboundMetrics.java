package io.mailbridge.outbound;

import java.util.List;

import io.mailbridge.component.MailbridgeHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the outbound route did, on Camel's Micrometer registry ({@code /observe/metrics}):
 * messages the SMTP server accepted ({@code mailbridge_outbound_sent_total}), requests moved to the
 * failed folder ({@code mailbridge_outbound_failed_total}) and retried sends
 * ({@code mailbridge_outbound_retried_total}). Counted from the route's exchange events, so the
 * route itself stays as it is. Delivery reports about our own mail count as they reach the sink: each
 * failed recipient in {@code mailbridge_outbound_bounced_total}, each delayed one in
 * {@code mailbridge_outbound_delayed_total}, one INFO line each (see {@link OwnMailReports}).
 */
public final class OutboundMetrics extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundMetrics.class);

    private final String routeId;
    private Counter sent;
    private Counter failed;
    private Counter retried;
    private Counter bounced;
    private Counter delayed;

    public OutboundMetrics(String routeId) {
        this.routeId = routeId;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
        return event instanceof ExchangeEvent e && (routeId.equals(e.getExchange().getFromRouteId())
                || e.getExchange().getProperty(OwnMailReports.OUTCOMES) != null);
    }

    @Override
    public void notify(org.apache.camel.spi.CamelEvent event) {
        Exchange exchange = ((ExchangeEvent) event).getExchange();
        if (!routeId.equals(exchange.getFromRouteId())) {
            if (event instanceof ExchangeCompletedEvent && exchange.getException() == null
                    && exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT) == null) {
                reported(exchange); // the record of a report about our own mail reached the sink
            }
            return;
        }
        if (!counters()) {
            return;
        }
        if (event instanceof ExchangeRedeliveryEvent) {
            retried.increment();
        } else if (event instanceof ExchangeCompletedEvent && exchange.getException() == null
                && !exchange.getProperty(OutboundRequestProcessor.ALREADY_SENT, false, Boolean.class)) {
            // handled by outbound-errors: an invalid request or a 5xx reply went to the failed folder
            (exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT) != null ? failed : sent).increment();
        }
    }

    private void reported(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OwnMailReports.Outcome> outcomes = exchange.getProperty(OwnMailReports.OUTCOMES, List.class);
        Object key = exchange.getMessage().getHeader(MailbridgeHeaders.KEY);
        boolean count = counters();
        for (OwnMailReports.Outcome o : outcomes) {
            LOG.info("Outbound request {} {} for {}: status {}{} (delivery report {}, message {})",
                    o.requestId() == null ? "without id" : o.requestId(), o.failed() ? "bounced" : "is delayed",
                    o.recipient(), o.status(), o.diagnosticCode() == null ? "" : ", " + o.diagnosticCode(), key, o.messageId());
            if (count) {
                (o.failed() ? bounced : delayed).increment();
            }
        }
    }

    /** The registry appears when Camel's metrics start, after this notifier; looked up on first use. */
    private synchronized boolean counters() {
        if (sent == null) {
            MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
            if (registry == null) {
                return false;
            }
            sent = Counter.builder("mailbridge.outbound.sent").description("Messages the SMTP server accepted").register(registry);
            failed = Counter.builder("mailbridge.outbound.failed").description("Requests moved to the failed folder").register(registry);
            retried = Counter.builder("mailbridge.outbound.retried").description("Sends retried after a transient failure").register(registry);
            bounced = Counter.builder("mailbridge.outbound.bounced")
                    .description("Recipients of our own mail that a delivery report says failed").register(registry);
            delayed = Counter.builder("mailbridge.outbound.delayed")
                    .description("Recipients of our own mail that a delivery report says are delayed").register(registry);
        }
        return true;
    }
}
