package io.mailbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;

import io.mailbridge.accounts.Account;
import io.mailbridge.accounts.Accounts;
import io.mailbridge.cluster.Replication;
import io.mailbridge.component.DoublingDelay;
import io.mailbridge.config.Durations;
import io.mailbridge.config.InvalidConfigurationException;
import io.mailbridge.embedded.EmbeddedMailServer;
import io.mailbridge.oauth2.TokenProvider;
import io.mailbridge.oauth2.TokenProviders;
import io.mailbridge.outbound.OutboundMetrics;
import io.mailbridge.outbound.OutboundRequestParser;
import io.mailbridge.outbound.OutboundRequestProcessor;
import io.mailbridge.outbound.OwnMailReports;
import io.mailbridge.outbound.SentFolderAppender;
import io.mailbridge.outbound.SentLedger;
import io.mailbridge.outbound.SentRecorder;
import io.mailbridge.record.MessageRecordMapper;
import io.mailbridge.record.RecordJson;
import io.mailbridge.sink.SinkHealthCheck;
import io.mailbridge.sink.SinkStatus;
import io.mailbridge.sink.SinkGuarantees;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the settings, starts the embedded demo server when enabled, and binds the beans the
 * routes refer to: {@code recordMapper}, {@code checkpointStore}, {@code sinkStatus}, {@code sinkDelivered}, {@code outboundRequestProcessor},
 * {@code sentRecorder}, {@code sentFolderAppender}, {@code smtpTokenProvider}.
 */
public class MailbridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MailbridgeConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Accounts accounts = ConfigurationCheck.run(context);
        context.getRegistry().bind(Accounts.BEAN, accounts);
        Settings settings = Settings.of(pc);
        SentFolderAppender sentFolderAppender = sentFolderAppender(settings, accounts);

        if (settings.isTrue("mail.embedded.enabled")) {
            EmbeddedMailServer server = new EmbeddedMailServer(settings.string("mail.imap.host"),
                    settings.integer("mail.imap.port", 3143), settings.integer("mail.smtp.port", 3025),
                    settings.string("mail.imap.username"), settings.string("mail.imap.password"));
            server.start();
            context.addService(server, true, false);
            if (settings.isTrue("mail.embedded.demo-request")) {
                writeDemoRequest(settings, server.email());
            }
        }

        checkBrokerGuarantees(pc, accounts);
        // bound by ReplicationListener, which MailbridgeApp.create() installs: file or PostgreSQL stores
        Replication replication = context.getRegistry().lookupByNameAndType(Replication.BEAN, Replication.class);
        context.getRegistry().bind("checkpointStore",
                replication.checkpointStore(Paths.get(settings.string("mail.checkpoint.dir"))));
        SentLedger ledger = replication.sentLedger(Paths.get(settings.string("mail.outbox.ledger-dir")));
        // a Processor already bound as recordMapper replaces the built-in mapping; whatever a mapper throws,
        // the consumer hands the message on as a mapping failure (dead-lettered), never as a sink outage.
        // A delivery report about our own mail is looked up in the sent ledger before it becomes JSON.
        if (context.getRegistry().lookupByNameAndType("recordMapper", Processor.class) == null) {
            context.getRegistry().bind("recordMapper", RecordJson.recordMapper(new MessageRecordMapper(),
                    new OwnMailReports(ledger), new RecordJson()));
        }
        bindSinkStatus(context, settings);
        context.getRegistry().bind("outboundRequestProcessor", new OutboundRequestProcessor(
                new OutboundRequestParser(settings.string("mail.smtp.from"), settings.longValue("mail.outbox.max-bytes", 0)),
                ledger));
        context.getRegistry().bind("sentRecorder", new SentRecorder(ledger));
        context.getRegistry().bind("smtpTokenProvider", smtpTokenProvider(settings));
        context.getManagementStrategy().addEventNotifier(new OutboundMetrics("smtp-outbound"));
        context.getRegistry().bind("sentFolderAppender", sentFolderAppender);
    }

    /**
     * save-to-sent writes through the mailbox it saves to, with that mailbox's TLS and login: with
     * {@code mail.accounts} the one {@code mail.smtp.save-to-sent-account} names (checked by ConfigurationCheck),
     * else the {@code mail.imap.*} one.
     */
    private static SentFolderAppender sentFolderAppender(Settings settings, Accounts accounts) {
        String folder = settings.string("mail.smtp.save-to-sent");
        if (folder.isEmpty()) {
            return SentFolderAppender.disabled();
        }
        String name = settings.string(ConfigurationCheck.SAVE_TO_SENT_ACCOUNT);
        Account target = accounts.all().stream().filter(a -> a.isSingle() || a.name().equals(name)).findFirst().orElseThrow();
        return new SentFolderAppender(folder, target);
    }

    /** {@code sinkStatus} (for the error handler), {@code sinkDelivered} (a route step) and the health checks. */
    private static void bindSinkStatus(CamelContext context, Settings settings) {
        SinkStatus sink = new SinkStatus(settings.string("mail.sink.uri"), new DoublingDelay(
                Duration.ofMillis(Durations.millis(settings.get("mail.sink.redelivery-delay").orElse("1s"))),
                Duration.ofMillis(Durations.millis(settings.get("mail.sink.max-redelivery-delay").orElse("1m")))));
        context.getRegistry().bind("sinkStatus", sink);
        context.getRegistry().bind("sinkDelivered", sink.onDelivered());
        SinkHealthCheck check = new SinkHealthCheck(sink);
        check.setCamelContext(context);
        context.getRegistry().bind("mailbridge-sink-health", check);
    }

    /** A queue sink or failed destination that would acknowledge before the broker holds the message stops startup. */
    private static void checkBrokerGuarantees(PropertiesComponent pc, Accounts accounts) throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> uris = new LinkedHashMap<>();
        for (String key : List.of("mail.sink.uri", "mail.outbox.failed-uri")) {
            uris.put(key, pc.resolveProperty(key).map(String::trim).orElse(""));
        }
        for (Account account : accounts.all()) {
            uris.put(account.keyOf("sink-uri"), account.sinkUri()); // a mailbox may have a sink of its own
        }
        for (Map.Entry<String, String> e : uris.entrySet()) {
            if (!e.getValue().isEmpty()) {
                problems.addAll(SinkGuarantees.problems(e.getKey(), e.getValue(), pc));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** XOAUTH2 tokens for mail.smtp.auth=oauth2 from mail.smtp.oauth2.*; with password auth one that is never asked. */
    private static TokenProvider smtpTokenProvider(Settings settings) {
        if (!"oauth2".equals(settings.string("mail.smtp.auth"))) {
            return TokenProviders.none("mail.smtp.auth is not oauth2");
        }
        return TokenProviders.create(k -> settings.string("mail.smtp." + k), k -> "mail.smtp." + k,
                Duration.ofMillis(Durations.millis(settings.get("mail.oauth2.refresh-before").orElse("60s"))));
    }

    /** A request in the outbox addressed to the demo user, so the demo shows text → SMTP → IMAP → record. */
    private static void writeDemoRequest(Settings settings, String demoAddress) throws IOException {
        String outbox = settings.string("mail.outbox.uri");
        if (!outbox.startsWith("file:")) {
            return;
        }
        String dir = outbox.substring("file:".length()).replaceFirst("\\?.*", "").replaceFirst("^//", "");
        Path request = Paths.get(dir).resolve("demo-request.txt");
        Files.createDirectories(request.getParent());
        // a new id per start: the embedded server forgets its mail, the sent ledger does not
        Files.writeString(request, "To: " + demoAddress + "\n"
                + "Id: demo-" + java.time.Instant.now() + "\n"
                + "Subject: Hello from the mailbridge outbox\n"
                + "\n"
                + "This text was a file in " + dir + ", was sent through SMTP,\n"
                + "and comes back as a JSON record on the next IMAP poll.\n", StandardCharsets.UTF_8);
        LOG.info("Demo outbound request written to {}", request);
    }
}
