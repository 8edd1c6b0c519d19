package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailbridge.support.RunningMailbridge;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SMTPS with certificate checks on by default, the explicit trust-all escape hatch, save-to-sent, and no secrets in logs. */
class SmtpSecurityTest {

    static final String PASSWORD = "Sup3r-Secr3t-pw!";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(new ServerSetup[] {
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS), new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) }));

    @TempDir
    Path data;

    private RunningMailbridge start(Map<String, String> extra) throws Exception {
        greenMail.setUser("alice@localhost", "alice", PASSWORD);
        Map<String, String> props = new java.util.HashMap<>(Map.of("mail.smtp.ssl", "true", "mail.imap.start-from", "now",
                "mail.smtp.max-redeliveries", "1"));
        props.putAll(extra);
        return RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtps().getPort(), "alice", PASSWORD, props);
    }

    private void submit(String name, String content) throws Exception {
        RunningMailbridge.submit(data, name, content);
    }

    @Test
    void untrustedCertificateIsRefusedByDefault() throws Exception {
        try (RunningMailbridge mb = start(Map.of())) {
            submit("r.txt", "To: bob@example.com\nSubject: tls\n\nx\n");
            Thread.sleep(3000);
            assertEquals(0, greenMail.getReceivedMessages().length, "GreenMail's self-signed certificate is not trusted");
            assertTrue(Files.exists(data.resolve("outbox/r.txt")), "the request waits in the outbox");
        }
    }

    @Test
    void trustAllSendsOverSmtpsAndSaveToSentAppendsToImap() throws Exception {
        StringWriter logs = new StringWriter();
        WriterAppender appender = WriterAppender.createAppender(PatternLayout.createDefaultLayout(), null, logs, "capture", false, true);
        appender.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream protocolTrace = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(protocolTrace, true, StandardCharsets.UTF_8)); // Angus' debug output
        try (RunningMailbridge mb = start(Map.of("mail.smtp.trust-all", "true", "mail.smtp.save-to-sent", "Sent",
                "mail.smtp.debug", "true"))) {
            submit("r.txt", "To: bob@example.com\nSubject: over tls\n\nx\n");
            RunningMailbridge.await(Duration.ofSeconds(15), () -> greenMail.getReceivedMessages().length >= 2,
                    "delivered to bob and saved in alice's Sent");
            var sent = greenMail.getManagers().getImapHostManager().getFolder(
                    greenMail.getUserManager().getUser("alice"), "Sent");
            assertEquals(1, sent.getMessageCount(), "a copy in Sent");
            assertTrue(sent.getMessages().get(0).getFlags().contains(jakarta.mail.Flags.Flag.SEEN));
        } finally {
            System.setOut(stdout);
            ctx.getConfiguration().getRootLogger().removeAppender("capture");
            ctx.updateLoggers();
        }
        String text = logs.toString();
        String trace = protocolTrace.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("mail.smtp.trust-all=true"), "trust-all is a WARN");
        assertTrue(trace.contains("AUTH"), "the SMTP protocol trace was captured: " + trace.length());
        assertFalse(text.contains(PASSWORD), "the password never appears in the logs");
        assertFalse(trace.contains(PASSWORD), "nor in the SMTP protocol trace");
        assertFalse(trace.contains(java.util.Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8))),
                "nor base64-encoded (AUTH LOGIN)");
    }
}
