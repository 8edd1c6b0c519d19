package io.mailbridge.sink;

import io.mailbridge.component.DoublingDelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.mailbridge.component.MailbridgeHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Outages per sink as readiness sees them: each sink's own, ended by its own delivery, or given up when no record waits any more. */
class SinkStatusTest {

    private static final String INVOICES = "file:data/invoices";
    private static final String SUPPORT = "file:data/support";

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final SinkStatus status = new SinkStatus("file:data/inbox", new DoublingDelay(Duration.ofSeconds(1), Duration.ofMinutes(1)), clock);
    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange record(String sink, String key) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(SinkStatus.SINK, SinkStatus.masked(sink));
        exchange.getMessage().setHeader(MailbridgeHeaders.KEY, key);
        return exchange;
    }

    private void fails(String sink, String key) throws Exception {
        fails(sink, key, 1);
    }

    private void fails(String sink, String key, int failedTries) throws Exception {
        Exchange exchange = record(sink, key);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, failedTries);
        exchange.setException(new IOException("No space left on device"));
        status.onFailure().process(exchange);
    }

    private List<String> down() {
        return status.outages().stream().map(SinkStatus.Outage::sink).toList();
    }

    @Test
    void anotherSinksDeliveryDoesNotEndAnOutage() throws Exception {
        fails(INVOICES, "invoices/INBOX/1/7");
        status.onDelivered().process(record(SUPPORT, "support/INBOX/1/3"));
        assertEquals(List.of(SinkStatus.masked(INVOICES)), down());
        status.onDelivered().process(record(INVOICES, "invoices/INBOX/1/7"));
        assertEquals(List.of(), down());
    }

    @Test
    void anOutageNoRecordWaitsForAnyMoreIsNoLongerCounted() throws Exception {
        fails(INVOICES, "invoices/INBOX/1/7"); // next try in 1 s
        clock.now = clock.now.plus(Duration.ofSeconds(20));
        assertEquals(List.of(SinkStatus.masked(INVOICES)), down(), "within its grace after the next try: still down");
        clock.now = clock.now.plus(SinkStatus.ABANDONED_AFTER);
        assertTrue(down().isEmpty(), "its route stopped: nothing retries, readiness must not stay DOWN");
    }

    @Test
    void aRetriedOutageStaysCountedHoweverLongItLasts() throws Exception {
        DoublingDelay backoff = new DoublingDelay(Duration.ofSeconds(1), Duration.ofMinutes(1));
        for (int i = 1; i <= 10; i++) {
            fails(INVOICES, "invoices/INBOX/1/7", i);
            clock.now = clock.now.plus(backoff.after(i)); // the retry comes at its next try: 1 s, 2 s ... 1 min
            assertEquals(List.of(SinkStatus.masked(INVOICES)), down(), "after try " + i);
        }
    }
}
