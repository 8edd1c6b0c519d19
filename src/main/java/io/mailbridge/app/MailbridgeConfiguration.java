package io.mailbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.mailbridge.checkpoint.FileCheckpointStore;
import io.mailbridge.embedded.EmbeddedMailServer;
import io.mailbridge.outbound.OutboundMetrics;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the settings, starts the embedded demo server when enabled, and binds the beans the
 * routes refer to: {@code recordMapper}, {@code checkpointStore}, {@code outboundRequestProcessor},
 * {@code sentRecorder}, {@code sentFolderAppender}.
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
        context.getRegistry().bind("recordMapper", RecordJson.recordMapper(new MessageRecordMapper(), new RecordJson()));
        SentLedger ledger = new SentLedger(Paths.get(settings.string("mail.outbox.ledger-dir")));
        context.getRegistry().bind("outboundRequestProcessor", new OutboundRequestProcessor(
                new OutboundRequestParser(settings.string("mail.smtp.from"), settings.longValue("mail.outbox.max-bytes", 0)),
                ledger));
        context.getRegistry().bind("sentRecorder", new SentRecorder(ledger));
        context.getManagementStrategy().addEventNotifier(new OutboundMetrics("smtp-outbound"));
        context.getRegistry().bind("sentFolderAppender", new SentFolderAppender(settings.string("mail.smtp.save-to-sent"),
                settings.string("mail.imap.host"), settings.integer("mail.imap.port", 0), settings.isTrue("mail.imap.ssl"),
                settings.string("mail.imap.username"), settings.string("mail.imap.password")));
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
