package io.mailbridge.routes;

import static org.apache.camel.test.junit5.TestSupport.assertFileExists;
import static org.apache.camel.test.junit5.TestSupport.assertFileNotExists;
import static org.apache.camel.test.junit5.TestSupport.assertStringContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.mailbridge.app.ErrorHandling;
import io.mailbridge.app.MailbridgeConfiguration;
import io.mailbridge.cluster.ReplicationListener;
import io.mailbridge.smtp.SmtpProducer;
import io.mailbridge.support.RunningMailbridge;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.test.junit5.TestSupport;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Main configuration (application.properties, routes/, MailbridgeConfiguration, ErrorHandling) with
 * the outbox a queue: smtp-outbound is fed from {@code direct:outbox} with the headers camel-kafka sets, and the
 * SMTP server is a mock that accepts everything. A Kafka outbox is read at least once (a failure or a rebalance
 * reads a record again): the same record must still go out only once.
 */
@CamelMainTest(
        propertyPlaceholderLocations = "file:application.properties",
        properties = {
                "camel.management.enabled=false",
                "mail.embedded.enabled=false",
                "mail.embedded.demo-request=false"
        },
        configurationClasses = { QueueOutboxMainTest.TestEnvironment.class, MailbridgeConfiguration.class },
        replaceRouteFromWith = "smtp-outbound=direct:outbox",
        advices = @AdviceRouteMapping(route = "smtp-outbound", advice = QueueOutboxMainTest.AcceptingSmtpServer.class))
class QueueOutboxMainTest {

    static final Path DATA = tempDir();

    @EndpointInject("direct:outbox")
    ProducerTemplate outbox;

    @EndpointInject("mock:smtp")
    MockEndpoint smtp;

    /** The data directory, and what ReplicationListener (a Main listener of MailbridgeApp) does before Main configures. */
    public static class TestEnvironment implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) {
            PropertiesComponent pc = context.getPropertiesComponent();
            RunningMailbridge.dataDirProperties(DATA).forEach(pc::addOverrideProperty);
            new ReplicationListener().beforeConfigure(new BaseMainSupport(context) {
            });
        }
    }

    /** Instead of mailbridge-smtp: a server that accepts every message, as the SMTP producer reports it. */
    public static class AcceptingSmtpServer extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveByToUri("mailbridge-smtp:*").replace()
                    .setHeader(SmtpProducer.SMTP_REPLY, constant("250 2.0.0 Ok: queued as Q1"))
                    .to("mock:smtp");
        }
    }

    @Configure
    protected void configure(MainConfigurationProperties main) {
        main.setRoutesIncludePattern("file:routes/*.camel.yaml");
        main.addRoutesBuilder(new ErrorHandling());
        main.addRoutesBuilder(new ErrorHandling.FailureRoutes());
    }

    /** A record as camel-kafka delivers it from the outbox topic. */
    private Exchange fromKafka(long offset, String request) {
        return outbox.send(e -> {
            e.getMessage().setBody(request);
            e.getMessage().setHeaders(Map.of("kafka.TOPIC", "outbox", "kafka.PARTITION", 0, "kafka.OFFSET", offset));
        });
    }

    @Test
    void aKafkaRecordReadTwiceIsSentOnceFromTheConfiguredSender() throws Exception {
        String request = "{\"to\": [\"bob@example.com\"], \"subject\": \"Order 17\", \"text\": \"Thanks!\"}";
        smtp.expectedMessageCount(1);

        assertNull(fromKafka(17, request).getException());
        assertNull(fromKafka(17, request).getException(), "read again after a rebalance: done, not failed");

        smtp.assertIsSatisfied();
        MimeMessage sent = smtp.getReceivedExchanges().get(0).getMessage().getBody(MimeMessage.class);
        assertEquals("Order 17", sent.getSubject());
        assertEquals("bob@example.com", ((InternetAddress) sent.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress());
        // mail.smtp.from of application.properties: the request names no sender
        assertEquals("mailbridge@localhost", ((InternetAddress) sent.getFrom()[0]).getAddress());
        Path record = DATA.resolve("outbox-sent/kafka-outbox-0-17.sent.json");
        assertFileExists(record);
        assertStringContains(Files.readString(record), "250 2.0.0 Ok: queued as Q1");
    }

    @Test
    void anInvalidKafkaRecordGoesToTheFailedDestinationWithItsReasonAndNothingIsSent() throws Exception {
        String request = "{\"to\": [\"bob@example.com\"], \"subject\": ";

        assertNull(fromKafka(18, request).getException(), "handled: the offset may be committed");

        assertEquals(0, smtp.getReceivedCounter(), "nothing was sent");
        Path failed = DATA.resolve("outbox-failed");
        assertEquals(request, Files.readString(failed.resolve("kafka-outbox-0-18")), "the request as it was read");
        assertStringContains(Files.readString(failed.resolve("kafka-outbox-0-18.error")), "not valid JSON");
        assertFileNotExists(DATA.resolve("outbox-sent/kafka-outbox-0-18.sent.json"));
    }

    @AfterAll
    static void deleteData() {
        TestSupport.deleteDirectory(DATA);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("mailbridge-queue-outbox-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
