package io.mailbridge.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts what the outbound route did, on Camel's Micrometer registry ({@code /observe/metrics}):
 * messages the SMTP server accepted ({@code mailbridge_outbound_sent_total}), requests moved to the
 * failed folder ({@code mailbridge_outbound_failed_total}) and retried sends
 * ({@code mailbridge_outbound_retried_total}). Counted from the route's exchange events, so the
 * route itself stays as it is.
 */
public final class OutboundMetrics extends EventNotifierSupport {

    private final String routeId;
    private Counter sent;
    private Counter failed;
    private Counter retried;

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
        return event instanceof ExchangeEvent e && routeId.equals(e.getExchange().getFromRouteId());
    }

    @Override
    public void notify(org.apache.camel.spi.CamelEvent event) {
        if (!counters()) {
            return;
        }
        Exchange exchange = ((ExchangeEvent) event).getExchange();
        if (event instanceof ExchangeRedeliveryEvent) {
            retried.increment();
        } else if (event instanceof ExchangeCompletedEvent && exchange.getException() == null
                && !exchange.getProperty(OutboundRequestProcessor.ALREADY_SENT, false, Boolean.class)) {
            // handled by outbound-errors: an invalid request or a 5xx reply went to the failed folder
            (exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT) != null ? failed : sent).increment();
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
        }
        return true;
    }
}
