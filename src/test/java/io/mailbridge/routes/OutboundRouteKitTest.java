package io.mailbridge.routes;

import static org.apache.camel.test.junit5.TestSupport.assertFileExists;
import static org.apache.camel.test.junit5.TestSupport.assertFileNotExists;
import static org.apache.camel.test.junit5.TestSupport.assertStringContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mailbridge.oauth2.TokenProviders;
import io.mailbridge.outbound.FileSentLedger;
import io.mailbridge.outbound.OutboundRequestParser;
import io.mailbridge.outbound.OutboundRequestProcessor;
import io.mailbridge.outbound.SentFolderAppender;
import io.mailbridge.outbound.SentLedger;
import io.mailbridge.outbound.SentRecorder;
import io.mailbridge.support.FakeSmtpServer;
import io.mailbridge.support.RunningMailbridge;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/outbound.camel.yaml (route smtp-outbound) with the real outbound-errors configuration and
 * outbound-failed route, reading a file outbox and sending to a scripted SMTP server: what is sent, what
 * lands in the failed folder with a .error file, and that an accepted request is not sent twice.
 */
class OutboundRouteKitTest extends RouteFilesTestSupport {

    static final FakeSmtpServer SMTP = fakeSmtp();

    static FakeSmtpServer fakeSmtp() {
        try {
            return new FakeSmtpServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopSmtp() throws IOException {
        SMTP.close();
    }

    @Override
    protected List<String> routeFiles() {
        return List.of("outbound.camel.yaml");
    }

    @Override
    protected Map<String, String> properties(Path data) {
        return Map.ofEntries(
                Map.entry("mail.smtp.host", "127.0.0.1"),
                Map.entry("mail.smtp.port", String.valueOf(SMTP.port())),
                Map.entry("mail.smtp.username", "mailbridge"),
                Map.entry("mail.smtp.password", "secret"),
                Map.entry("mail.smtp.ssl", "false"),
                Map.entry("mail.smtp.starttls", "false"),
                Map.entry("mail.smtp.trust-all", "false"),
                Map.entry("mail.smtp.timeout", "5000"),
                Map.entry("mail.smtp.idle-timeout", "1s"));
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        // as MailbridgeConfiguration binds them, with a file ledger under the test's directory
        SentLedger ledger = new FileSentLedger(data.resolve("outbox-ledger"));
        registry.bind("outboundRequestProcessor",
                new OutboundRequestProcessor(new OutboundRequestParser("mailbridge@localhost", 0), ledger));
        registry.bind("sentRecorder", new SentRecorder(ledger));
        registry.bind("sentFolderAppender", SentFolderAppender.disabled()); // mail.smtp.save-to-sent empty
        registry.bind("smtpTokenProvider", TokenProviders.none("mail.smtp.auth is not oauth2"));
    }

    @BeforeEach
    void start() {
        SMTP.accepted.clear();
        context.start();
    }

    private void submitAndAwait(String name, String content) throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("smtp-outbound").whenDone(1).create();
        RunningMailbridge.submit(data, name, content);
        assertTrue(done.matches(10, TimeUnit.SECONDS), name + " was taken from the outbox");
        RunningMailbridge.await(Duration.ofSeconds(5), () -> !Files.exists(data.resolve("outbox").resolve(name)),
                name + " left the outbox");
    }

    @Test
    void aValidRequestIsSentAndRecordedAsSent() throws Exception {
        submitAndAwait("hello.txt", "To: bob@example.com\nSubject: Hello from the outbox\n\nbody text\n");

        assertEquals(1, SMTP.accepted.size(), "the server accepted one message");
        assertStringContains(SMTP.accepted.get(0), "Subject: Hello from the outbox");
        assertStringContains(SMTP.accepted.get(0), "body text");
        Path sent = data.resolve("outbox-sent/hello.txt.sent.json");
        assertFileExists(sent);
        assertStringContains(Files.readString(sent), "250 2.0.0 Ok");
        assertFileNotExists(data.resolve("outbox-failed/hello.txt"));
    }

    @Test
    void anInvalidRequestGoesToTheFailedFolderWithAnErrorFileAndNothingIsSent() throws Exception {
        String request = "{\"subject\": \"hi\", \"text\": \"x\"}";
        submitAndAwait("no-recipient.json", request);

        Path failed = data.resolve("outbox-failed");
        assertEquals(request, Files.readString(failed.resolve("no-recipient.json")), "the request as it was submitted");
        assertStringContains(Files.readString(failed.resolve("no-recipient.json.error")), "no recipient");
        assertEquals(0, SMTP.accepted.size(), "nothing was sent");
        assertFileNotExists(data.resolve("outbox-sent/no-recipient.json.sent.json"));
    }

    @Test
    void aRequestTheServerRefusesWith550GoesToTheFailedFolderWithTheServersReply() throws Exception {
        submitAndAwait("unknown-user.txt", "To: reject-me@example.com\nSubject: s\n\nx\n");

        Path failed = data.resolve("outbox-failed");
        assertFileExists(failed.resolve("unknown-user.txt"));
        String reason = Files.readString(failed.resolve("unknown-user.txt.error"));
        assertStringContains(reason, "550 5.1.1");
        assertStringContains(reason, "User unknown");
        assertEquals(0, SMTP.accepted.size());
    }

    @Test
    void aRequestTheServerAlreadyAcceptedIsNotSentAgain() throws Exception {
        String request = "To: bob@example.com\nSubject: once only\n\nx\n";
        submitAndAwait("once.txt", request);
        submitAndAwait("once.txt", request); // the same request again: an upstream retry

        assertEquals(1, SMTP.accepted.size(), "sent once");
        assertFileNotExists(data.resolve("outbox-failed/once.txt"));
    }
}
