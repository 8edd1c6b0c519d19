package io.mailbridge.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.mailbridge.app.ErrorHandling;
import io.mailbridge.component.DoublingDelay;
import io.mailbridge.sink.SinkStatus;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * The real route files (routes/*.camel.yaml, relative to the project directory, which is Surefire's working
 * directory) with the real error handling ({@link ErrorHandling}: route configurations inbound-errors and
 * outbound-errors, routes dead-letter and outbound-failed), in a CamelTestSupport context. Every file URI
 * points into a temporary directory. Advice-with mode: a test adapts its routes, then starts the context.
 */
abstract class RouteFilesTestSupport extends CamelTestSupport {

    /** The mailbox template of routes/inbound.camel.yaml, as io.mailbridge.accounts.AccountRoutes names it. */
    static final String MAILBOX_TEMPLATE = "mailbox";

    /**
     * Set by {@link #configureContext}, which CamelTestSupport's constructor calls before this class's field
     * initialisers would run: so no initialiser here (it would overwrite the value).
     */
    protected Path data;

    /** The sink status the inbound error handler reports to, bound as MailbridgeConfiguration binds it. */
    protected SinkStatus sinkStatus;

    /** The route files under test, by name in routes/. */
    protected abstract List<String> routeFiles();

    /** Properties of the test beyond the data directories (called from the constructor: use only {@code data}). */
    protected Map<String, String> properties(Path data) {
        return Map.of();
    }

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        try {
            data = Files.createTempDirectory("mailbridge-routes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mail.sink.log-level", "INFO");
        p.put("mail.dead-letter.uri", "file:" + data.resolve("dead-letter") + "?tempPrefix=.writing-");
        p.put("mail.outbox.uri", "file:" + data.resolve("outbox") + "?delete=true&delay=100");
        p.put("mail.outbox.failed-uri", "file:" + data.resolve("outbox-failed") + "?tempPrefix=.writing-");
        p.put("mail.outbox.sent-uri", "file:" + data.resolve("outbox-sent") + "?tempPrefix=.writing-");
        p.put("mail.smtp.redelivery-delay", "100");
        p.putAll(properties(data));
        Properties overrides = new Properties();
        overrides.putAll(p);
        camel.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        // short waits between tries of an unavailable sink (mail.sink.redelivery-delay / max-redelivery-delay)
        sinkStatus = new SinkStatus("mock:sink", new DoublingDelay(Duration.ofMillis(10), Duration.ofMillis(50)));
        registry.bind("sinkStatus", sinkStatus);
        registry.bind("sinkDelivered", sinkStatus.onDelivered());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>();
        builders.add(new ErrorHandling());
        builders.add(new ErrorHandling.FailureRoutes());
        RoutesLoader loader = PluginHelper.getRoutesLoader(context);
        for (String file : routeFiles()) {
            builders.addAll(loader.findRoutesBuilders(ResourceHelper.resolveMandatoryResource(context, "file:routes/" + file)));
        }
        return builders.toArray(RoutesBuilder[]::new);
    }

    /**
     * One route from the mailbox template, as AccountRoutes adds it, but fed from {@code direct:<routeId>}
     * instead of an IMAP server; the exchanges sent there are what the IMAP consumer hands to the route.
     */
    protected void addMailboxRoute(String routeId, String sinkUri, Processor sinkHeaders) throws Exception {
        addMailboxRoute(routeId, sinkUri, sinkHeaders, sinkUri, sinkHeaders);
    }

    /** As above, with change events going to {@code changesUri} (mail.changes.uri) through their own headers step. */
    protected void addMailboxRoute(String routeId, String sinkUri, Processor sinkHeaders, String changesUri,
            Processor changesHeaders) throws Exception {
        String sinkHeadersBean = "sinkHeaders-" + routeId;
        context.getRegistry().bind(sinkHeadersBean, sinkHeaders);
        String changesHeadersBean = "changesHeaders-" + routeId;
        context.getRegistry().bind(changesHeadersBean, changesHeaders);
        TemplatedRouteBuilder.builder(context, MAILBOX_TEMPLATE)
                .routeId(routeId)
                .parameter("host", "imap.example.com")
                .parameter("mailbox", "mailbox-" + routeId)
                .parameter("sinkUri", sinkUri)
                .parameter("sinkHeaders", sinkHeadersBean)
                .parameter("changesUri", changesUri)
                .parameter("changesHeaders", changesHeadersBean)
                .add();
        AdviceWith.adviceWith(context, routeId, route -> route.replaceFromWith("direct:" + routeId));
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        if (data != null && Files.exists(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
