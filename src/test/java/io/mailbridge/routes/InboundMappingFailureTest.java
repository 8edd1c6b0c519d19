package io.mailbridge.routes;

import static org.apache.camel.test.junit5.TestSupport.assertFileExists;
import static org.apache.camel.test.junit5.TestSupport.assertFileNotExists;
import static org.apache.camel.test.junit5.TestSupport.assertStringContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mailbridge.record.RecordMappingException;
import io.mailbridge.sink.SinkHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message the consumer could not turn into a record arrives at the route as RouteDeliveries hands it over:
 * raw, with the failure set as a bridged, exhausted exception. inbound-errors dead-letters the raw bytes (.eml)
 * with the reason (.error); the route's steps never see it and the sink is not told of an outage.
 */
class InboundMappingFailureTest extends RouteFilesTestSupport {

    static final byte[] RAW = "\u0001\u0002 this is not an RFC 822 message\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    final AtomicInteger sinkHeadersRuns = new AtomicInteger();
    MockEndpoint sink;

    @Override
    protected List<String> routeFiles() {
        return List.of("inbound.camel.yaml");
    }

    @BeforeEach
    void mailboxRoute() throws Exception {
        SinkHeaders real = new SinkHeaders("file:data/inbox");
        addMailboxRoute("imap-inbound", "mock:sink", e -> {
            sinkHeadersRuns.incrementAndGet();
            real.process(e);
        });
        context.start();
        sink = getMockEndpoint("mock:sink");
    }

    /** What RouteDeliveries.deliver does with a message the mapper failed on. */
    private Exchange unmappable(long uid) {
        Exchange exchange = createExchangeWithBody(RAW);
        exchange.getMessage().setHeaders(InboundRouteTest.consumerHeaders("alice", uid));
        exchange.setException(new RecordMappingException("could not make a record of alice/INBOX/7/" + uid
                + ": this mapper cannot read the message", new IllegalStateException("this mapper cannot read the message")));
        exchange.setProperty(ExchangePropertyKey.ERRORHANDLER_BRIDGE, true);
        exchange.getExchangeExtension().setRedeliveryExhausted(true);
        return exchange;
    }

    private Path deadLetter(long uid, String extension) {
        return data.resolve("dead-letter").resolve("alice/INBOX/7/" + uid + "." + extension);
    }

    @Test
    void aMessageThatCouldNotBecomeARecordIsDeadLetteredRawWithTheReasonAndNeverReachesTheSink() throws Exception {
        NotifyBuilder deadLettered = new NotifyBuilder(context).fromRoute("imap-inbound").wereSentTo("direct:dead-letter")
                .whenDone(1).create();

        Exchange done = template.send("direct:imap-inbound", unmappable(5));

        assertTrue(deadLettered.matches(5, TimeUnit.SECONDS), "the message went to the dead-letter route");
        assertNull(done.getException(), "handled: the consumer moves the checkpoint past the message");
        assertFileExists(deadLetter(5, "eml"));
        assertArrayEquals(RAW, Files.readAllBytes(deadLetter(5, "eml")), "the message as the server sent it");
        assertStringContains(Files.readString(deadLetter(5, "error")), "could not make a record of alice/INBOX/7/5");
        assertFileNotExists(deadLetter(5, "json"));
        assertEquals(0, sink.getReceivedCounter(), "nothing reached the sink");
        assertEquals(0, sinkHeadersRuns.get(), "the route's steps did not run");
        assertTrue(sinkStatus.outages().isEmpty(), "a bad message is no sink outage: readiness stays UP");
    }

    @Test
    void theRecordsAroundAnUnmappableMessageReachTheSinkAndOnlyItIsDeadLettered() throws Exception {
        sink.expectedHeaderValuesReceivedInAnyOrder(Exchange.FILE_NAME, "alice/INBOX/7/4.json", "alice/INBOX/7/6.json");
        sink.expectedMessageCount(2);

        template.sendBodyAndHeaders("direct:imap-inbound", "{\"uid\":4}", InboundRouteTest.consumerHeaders("alice", 4));
        template.send("direct:imap-inbound", unmappable(5));
        template.sendBodyAndHeaders("direct:imap-inbound", "{\"uid\":6}", InboundRouteTest.consumerHeaders("alice", 6));

        sink.assertIsSatisfied();
        assertEquals(2, sinkHeadersRuns.get());
        try (var files = Files.walk(data.resolve("dead-letter"))) {
            assertEquals(List.of("5.eml", "5.error"), files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
