package io.mailbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import io.mailbridge.checkpoint.FileCheckpointStore;
import io.mailbridge.embedded.EmbeddedMailServer;
import io.mailbridge.oauth2.TokenProvider;
import io.mailbridge.oauth2.TokenProviders;
import io.mailbridge.outbound.OutboundRequestParser;
import io.mailbridge.outbound.OutboundRequestProcessor;
import io.mailbridge.outbound.SentFolderAppender;
import io.mailbridge.outbound.SentLedger;
import io.mailbridge.outbound.SentRecorder;
import io.mailbridge.record.MessageRecordMapper;
import io.mailbridge.record.RecordJson;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the settings, starts the embedded demo server when enabled, and binds the beans the
 * routes refer to: {@code mailRecordMapper}, {@code recordJson}, {@code recordPreparer}, {@code checkpointStore}, {@code outboundRequestProcessor},
 * {@code sentRecorder}, {@code sentFolderAppender}, {@code smtpTokenProvider}.
 */
public class MailbridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MailbridgeConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Settings settings = Settings.validate(pc);

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

        context.getRegistry().bind("checkpointStore",
                new FileCheckpointStore(Paths.get(settings.string("mail.checkpoint.dir"))));
        MessageRecordMapper mapper = new MessageRecordMapper();
        RecordJson recordJson = new RecordJson();
        context.getRegistry().bind("mailRecordMapper", mapper);
        context.getRegistry().bind("recordJson", recordJson);
        context.getRegistry().bind("recordPreparer", RecordJson.preparer(mapper, recordJson));
        SentLedger ledger = new SentLedger(Paths.get(settings.string("mail.outbox.ledger-dir")));
        context.getRegistry().bind("outboundRequestProcessor", new OutboundRequestProcessor(
                new OutboundRequestParser(settings.string("mail.smtp.from"), settings.longValue("mail.outbox.max-bytes", 0)),
                ledger));
        context.getRegistry().bind("sentRecorder", new SentRecorder(ledger));
        context.getRegistry().bind("smtpTokenProvider", smtpTokenProvider(settings));
        context.getRegistry().bind("sentFolderAppender", new SentFolderAppender(settings.string("mail.smtp.save-to-sent"),
                settings.string("mail.imap.host"), settings.integer("mail.imap.port", 0), settings.isTrue("mail.imap.ssl"),
                settings.string("mail.imap.username"), settings.string("mail.imap.password")));
    }

    /** XOAUTH2 tokens for mail.smtp.auth=oauth2 from mail.smtp.oauth2.*; with password auth one that is never asked. */
    private static TokenProvider smtpTokenProvider(Settings settings) {
        if (!"oauth2".equals(settings.string("mail.smtp.auth"))) {
            return TokenProviders.none("mail.smtp.auth is not oauth2");
        }
        return TokenProviders.create(k -> settings.string("mail.smtp." + k), k -> "mail.smtp." + k,
                Duration.ofMillis(TimeUtils.toMilliSeconds(settings.get("mail.oauth2.refresh-before").orElse("60s"))));
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
