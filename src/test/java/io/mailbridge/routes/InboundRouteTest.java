package io.mailbridge.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.apache.camel.test.junit5.TestSupport.assertIsInstanceOf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.sink.SinkHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The mailbox template of routes/inbound.camel.yaml, instantiated as AccountRoutes does, fed with what the IMAP
 * consumer hands to it (the record JSON and the Mailbridge* headers): what reaches the sink.
 */
class InboundRouteTest extends RouteFilesTestSupport {

    static final String RECORD = "{\"schema\":\"mailbridge.message/1\",\"key\":\"alice/INBOX/7/42\",\"subject\":\"Invoice 42\"}";

    @Override
    protected List<String> routeFiles() {
        return List.of("inbound.camel.yaml");
    }

    /** The headers RouteDeliveries sets, with the types it sets them with (numbers, a list of flags). */
    static Map<String, Object> consumerHeaders(String account, long uid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(MailbridgeHeaders.KEY, account + "/INBOX/7/" + uid);
        h.put(MailbridgeHeaders.ACCOUNT, account);
        h.put(MailbridgeHeaders.FOLDER, "INBOX");
        h.put(MailbridgeHeaders.UID_VALIDITY, 7L);
        h.put(MailbridgeHeaders.UID, uid);
        h.put(MailbridgeHeaders.FLAGS, List.of("\\Seen", "\\Flagged"));
        h.put(MailbridgeHeaders.SIZE, 1234);
        return h;
    }

    @Test
    void aRecordReachesTheSinkUnchangedAsAFileNamedByItsKeyWithEveryMailbridgeHeaderAsAString() throws Exception {
        addMailboxRoute("imap-inbound", "mock:sink", new SinkHeaders("file:data/inbox"));
        context.start();
        MockEndpoint sink = getMockEndpoint("mock:sink");
        sink.expectedBodiesReceived(RECORD);

        template.sendBodyAndHeaders("direct:imap-inbound", RECORD, consumerHeaders("alice", 42));

        sink.assertIsSatisfied();
        Message received = sink.getReceivedExchanges().get(0).getMessage();
        assertEquals("alice/INBOX/7/42.json", received.getHeader(Exchange.FILE_NAME), "one file per record, named by its key");
        // Kafka and JMS drop list-valued headers and Kafka sends numbers as binary: consumers get plain strings
        assertEquals("\\Seen,\\Flagged", received.getHeader(MailbridgeHeaders.FLAGS));
        assertEquals("42", received.getHeader(MailbridgeHeaders.UID));
        assertEquals("7", received.getHeader(MailbridgeHeaders.UID_VALIDITY));
        assertEquals("1234", received.getHeader(MailbridgeHeaders.SIZE));
        for (Map.Entry<String, Object> h : received.getHeaders().entrySet()) {
            if (h.getKey().startsWith("Mailbridge")) {
                assertIsInstanceOf(String.class, h.getValue());
            }
        }
        assertNull(received.getHeader("kafka.KEY"), "a file sink gets no broker key");
    }

    /**
     * A change event (mail.imap.changes) takes the changes branch to mail.changes.uri: a file of its own named by its
     * event id beside the record's (never overwriting it), the record's key as the Kafka key, its own AMQP message_id.
     */
    @Test
    void aChangeEventGoesToTheChangesUriAsAFileOfItsOwnWithTheRecordsKey() throws Exception {
        addMailboxRoute("imap-inbound", "mock:sink", new SinkHeaders("file:data/inbox"), "mock:changes",
                new SinkHeaders("file:data/changes"));
        addMailboxRoute("imap-kafka", "mock:kafka", new SinkHeaders("kafka:mail?brokers=127.0.0.1:9092"), "mock:kafka",
                new SinkHeaders("kafka:mail?brokers=127.0.0.1:9092"));
        addMailboxRoute("imap-rabbitmq", "mock:rabbitmq", new SinkHeaders("rabbitmq:mail"), "mock:rabbitmq",
                new SinkHeaders("rabbitmq:mail"));
        context.start();
        MockEndpoint sink = getMockEndpoint("mock:sink");
        sink.expectedMessageCount(0);
        MockEndpoint changes = getMockEndpoint("mock:changes");
        changes.expectedBodiesReceived("{\"schema\":\"mailbridge.change/1\"}");

        Map<String, Object> change = consumerHeaders("alice", 42);
        change.put(MailbridgeHeaders.CHANGE, "flags");
        change.put(MailbridgeHeaders.CHANGE_ID, "alice/INBOX/7/42.flags.1234");
        template.sendBodyAndHeaders("direct:imap-inbound", "{\"schema\":\"mailbridge.change/1\"}", change);
        template.sendBodyAndHeaders("direct:imap-kafka", "{}", change);
        template.sendBodyAndHeaders("direct:imap-rabbitmq", "{}", change);

        changes.assertIsSatisfied();
        sink.assertIsSatisfied();
        Message received = changes.getReceivedExchanges().get(0).getMessage();
        assertEquals("alice/INBOX/7/42.flags.1234.json", received.getHeader(Exchange.FILE_NAME));
        assertEquals("flags", received.getHeader(MailbridgeHeaders.CHANGE));
        assertEquals("alice/INBOX/7/42", getMockEndpoint("mock:kafka").getReceivedExchanges().get(0).getMessage()
                .getHeader("kafka.KEY"), "same key as the record: same partition");
        assertEquals("alice/INBOX/7/42.flags.1234", getMockEndpoint("mock:rabbitmq").getReceivedExchanges().get(0)
                .getMessage().getHeader("rabbitmq.MESSAGE_ID"), "a message id of its own: not taken for the record");
    }

    @Test
    void eachBrokerSinkFindsTheRecordKeyWhereItsConsumersLookForIt() throws Exception {
        addMailboxRoute("imap-kafka", "mock:kafka", new SinkHeaders("kafka:records?brokers=127.0.0.1:9092"));
        addMailboxRoute("imap-rabbitmq", "mock:rabbitmq", new SinkHeaders("rabbitmq:mail?routingKey=records"));
        addMailboxRoute("imap-jms", "mock:jms", new SinkHeaders("jms:queue:mail-records"));
        context.start();

        template.sendBodyAndHeaders("direct:imap-kafka", RECORD, consumerHeaders("alice", 1));
        template.sendBodyAndHeaders("direct:imap-rabbitmq", RECORD, consumerHeaders("alice", 2));
        template.sendBodyAndHeaders("direct:imap-jms", RECORD, consumerHeaders("alice", 3));

        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        MockEndpoint rabbitmq = getMockEndpoint("mock:rabbitmq");
        MockEndpoint jms = getMockEndpoint("mock:jms");
        kafka.expectedHeaderReceived("kafka.KEY", "alice/INBOX/7/1");
        rabbitmq.expectedHeaderReceived("rabbitmq.MESSAGE_ID", "alice/INBOX/7/2");
        jms.expectedHeaderReceived("JMSCorrelationID", "alice/INBOX/7/3");
        // Artemis drops a re-sent duplicate by this property
        jms.expectedHeaderReceived(SinkHeaders.ARTEMIS_DUPLICATE_ID, "alice/INBOX/7/3");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void twoMailboxesFromTheOneTemplateDeliverEachToItsOwnSinkInUidOrder() throws Exception {
        addMailboxRoute("imap-support", "mock:support", new SinkHeaders("mock:support"));
        addMailboxRoute("imap-invoices", "mock:invoices", new SinkHeaders("mock:invoices"));
        context.start();
        MockEndpoint support = getMockEndpoint("mock:support");
        MockEndpoint invoices = getMockEndpoint("mock:invoices");
        support.expectedHeaderValuesReceivedInAnyOrder(MailbridgeHeaders.KEY, "support/INBOX/7/1", "support/INBOX/7/2");
        support.expectedMessageCount(2);
        invoices.expectedMessageCount(1);
        invoices.expectedHeaderReceived(MailbridgeHeaders.KEY, "invoices/INBOX/7/9");

        template.sendBodyAndHeaders("direct:imap-support", RECORD, consumerHeaders("support", 1));
        template.sendBodyAndHeaders("direct:imap-invoices", RECORD, consumerHeaders("invoices", 9));
        template.sendBodyAndHeaders("direct:imap-support", RECORD, consumerHeaders("support", 2));

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of("support/INBOX/7/1.json", "support/INBOX/7/2.json"), support.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader(Exchange.FILE_NAME, String.class)).toList());
        // each route is its own: the route ids AccountRoutes gives, one per mailbox
        assertEquals(2, context.getRoutes().stream()
                .filter(r -> r.getRouteId().startsWith("imap-")).count());
    }
}
