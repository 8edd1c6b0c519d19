package io.mailbridge.routes;

import static org.apache.camel.test.junit5.TestSupport.assertFileExists;
import static org.apache.camel.test.junit5.TestSupport.assertFileNotExists;
import static org.apache.camel.test.junit5.TestSupport.assertStringContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mailbridge.sink.RecordRefusedException;
import io.mailbridge.sink.SinkHeaders;
import io.mailbridge.sink.SinkStatus;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mailbox route with the real inbound-errors configuration and dead-letter route: an unavailable sink is
 * waited for (the record retried, nothing dead-lettered), a record the sink refuses for good is dead-lettered
 * as JSON with the reason, once.
 */
class InboundSinkFailureTest extends RouteFilesTestSupport {

    static final String KEY = "alice/INBOX/7/42";
    static final String RECORD = "{\"schema\":\"mailbridge.message/1\",\"key\":\"" + KEY + "\"}";

    MockEndpoint sink;

    @Override
    protected List<String> routeFiles() {
        return List.of("inbound.camel.yaml");
    }

    @BeforeEach
    void mailboxRoute() throws Exception {
        addMailboxRoute("imap-inbound", "mock:sink", new SinkHeaders("file:data/inbox"));
        context.start();
        sink = getMockEndpoint("mock:sink");
    }

    private Exchange deliver() {
        return template.send("direct:imap-inbound", e -> {
            e.getMessage().setBody(RECORD);
            e.getMessage().setHeaders(InboundRouteTest.consumerHeaders("alice", 42));
        });
    }

    private Path deadLetter(String extension) {
        return data.resolve("dead-letter").resolve(KEY + "." + extension);
    }

    @Test
    void anUnavailableSinkIsRetriedUntilItTakesTheRecordAndNothingIsDeadLettered() throws Exception {
        List<Integer> outagesSeenBySink = new CopyOnWriteArrayList<>();
        sink.whenExchangeReceived(1, e -> {
            throw new IOException("No space left on device");
        });
        sink.whenExchangeReceived(2, e -> {
            outagesSeenBySink.add(sinkStatus.outages().size());
            throw new IOException("No space left on device");
        });
        sink.whenExchangeReceived(3, e -> outagesSeenBySink.add(sinkStatus.outages().size()));
        sink.expectedMessageCount(3);
        sink.expectedBodiesReceived(RECORD, RECORD, RECORD);

        Exchange done = deliver();

        sink.assertIsSatisfied();
        assertNull(done.getException(), "the record was delivered in the end: the consumer may move the checkpoint");
        assertEquals(List.of(1, 1), outagesSeenBySink, "while the sink failed, readiness reported its outage");
        List<SinkStatus.Outage> after = sinkStatus.outages();
        assertTrue(after.isEmpty(), "the sink took the record: the outage is over, " + after);
        assertFileNotExists(deadLetter("json"));
        assertFileNotExists(data.resolve("dead-letter"));
    }

    @Test
    void aRecordTheSinkRefusesForGoodIsDeadLetteredAsJsonWithTheReasonAndNotRetried() throws Exception {
        sink.whenAnyExchangeReceived(e -> {
            throw new RecordRefusedException("message size 9437184 exceeds the queue's limit of 8388608");
        });
        sink.expectedMessageCount(1);

        Exchange done = deliver();

        sink.assertIsSatisfied();
        assertNull(done.getException(), "handled: the consumer moves the checkpoint past the refused record");
        assertFileExists(deadLetter("json"));
        assertEquals(RECORD, Files.readString(deadLetter("json")), "the record as the sink was offered it");
        assertStringContains(Files.readString(deadLetter("error")), "exceeds the queue's limit of 8388608");
        assertTrue(sinkStatus.outages().isEmpty(), "a refused record is no outage: readiness stays UP");
    }

    @Test
    void aKafkaRefusalInsideAnotherExceptionIsStillDeadLetteredNotRetried() throws Exception {
        // camel-kafka wraps the broker client's exception; the refusal is found anywhere in the cause chain
        sink.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("send failed",
                    new RecordTooLargeException("The message is 2097152 bytes when serialized which is larger than 1048576"));
        });
        sink.expectedMessageCount(1);

        Exchange done = deliver();

        sink.assertIsSatisfied();
        assertNull(done.getException());
        assertEquals(RECORD, Files.readString(deadLetter("json")));
        assertStringContains(Files.readString(deadLetter("error")), "larger than 1048576");
    }
}
