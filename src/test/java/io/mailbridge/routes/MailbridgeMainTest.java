package io.mailbridge.routes;

import static org.apache.camel.test.junit5.TestSupport.assertFileExists;
import static org.apache.camel.test.junit5.TestSupport.assertFileNotExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.accounts.AccountRoutes;
import io.mailbridge.app.ErrorHandling;
import io.mailbridge.app.MailbridgeConfiguration;
import io.mailbridge.cluster.ReplicationListener;
import io.mailbridge.support.RunningMailbridge;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.test.junit5.TestSupport;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Main configuration under camel-test-main-junit5: the project's application.properties (the
 * built-in defaults: embedded demo server on, demo request on), the route files of routes/, MailbridgeConfiguration
 * and ErrorHandling, as MailbridgeApp.create() puts them together; the embedded GreenMail on free ports and every
 * data directory in a temporary one.
 *
 * <p>MailbridgeApp.create() also installs two Main listeners, which {@code @CamelMainTest} has no place for:
 * ReplicationListener (beforeConfigure: binds the checkpoint/ledger stores) runs here from the first
 * configuration class, and AccountRoutes (afterConfigure: one route per mailbox from the {@code mailbox}
 * template) runs once the context has started, adding the mailbox route to the running context.
 */
@CamelMainTest(
        propertyPlaceholderLocations = "file:application.properties",
        properties = {
                "camel.management.enabled=false",
                "mail.imap.poll-delay=300",
                "mail.sink.redelivery-delay=50"
        },
        configurationClasses = { MailbridgeMainTest.TestEnvironment.class, MailbridgeConfiguration.class })
class MailbridgeMainTest implements CamelContextAware {

    static final Path DATA = tempDir();
    static final int IMAP_PORT = freePort();
    static final int SMTP_PORT = freePort();

    CamelContext context;

    /** The test's free ports and data directory, and what ReplicationListener does before Main configures. */
    public static class TestEnvironment implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) {
            PropertiesComponent pc = context.getPropertiesComponent();
            pc.addOverrideProperty("mail.imap.port", String.valueOf(IMAP_PORT));
            pc.addOverrideProperty("mail.smtp.port", String.valueOf(SMTP_PORT));
            RunningMailbridge.dataDirProperties(DATA).forEach(pc::addOverrideProperty);
            new ReplicationListener().beforeConfigure(mainOf(context));
        }
    }

    @Configure
    protected void configure(MainConfigurationProperties main) {
        // as MailbridgeApp.create(): the route files, and the Java DSL error handling
        main.setRoutesIncludePattern("file:routes/*.camel.yaml");
        main.addRoutesBuilder(new ErrorHandling());
        main.addRoutesBuilder(new ErrorHandling.FailureRoutes());
    }

    @Test
    void theDemoMailAndTheLoopedBackDemoRequestBecomeRecordsInTheSinkDirectory() throws Exception {
        assertNotNull(((org.apache.camel.model.ModelCamelContext) context).getRouteTemplateDefinition("mailbox"),
                "routes/inbound.camel.yaml loaded: the mailbox template is there");
        new AccountRoutes().afterConfigure(mainOf(context));
        Route mailbox = context.getRoute("imap-inbound");
        assertNotNull(mailbox, "one route for the one account of mail.imap.*");
        assertEquals("mailbridge-imap://127.0.0.1", mailbox.getEndpoint().getEndpointBaseUri());

        Path inbox = DATA.resolve("inbox");
        RunningMailbridge.await(java.time.Duration.ofSeconds(30), () -> {
            try {
                return RunningMailbridge.jsonFiles(inbox).size() >= 4;
            } catch (IOException e) {
                return false;
            }
        }, "the 3 demo messages and the looped-back demo request as records in " + inbox);

        List<String> subjects = RunningMailbridge.jsonFiles(inbox).stream().map(MailbridgeMainTest::subject).toList();
        assertEquals(4, subjects.size(), subjects.toString());
        assertTrue(subjects.contains("Hello from the mailbridge outbox"), "the demo request went out by SMTP and came back: "
                + subjects);
        assertFileExists(DATA.resolve("outbox-sent/demo-request.txt.sent.json"));
        assertFileNotExists(DATA.resolve("outbox/demo-request.txt"));
        assertFileNotExists(DATA.resolve("dead-letter"));
    }

    private static String subject(Path record) {
        try {
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.toFile());
            return json.get("subject").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the Main listeners are given; they only ask it for the context. */
    static BaseMainSupport mainOf(CamelContext context) {
        return new BaseMainSupport(context) {
        };
    }

    @AfterAll
    static void deleteData() {
        TestSupport.deleteDirectory(DATA);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("mailbridge-main-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
