package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.Health;
import io.mailbridge.support.LogCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mailboxes, each with a sink of its own. The invoices sink is a directory that cannot be
 * created (its parent is a file) until the test removes the obstacle. Its outage is told under its
 * own name, in the log and in readiness, and the support mailbox delivering meanwhile does not make
 * the service look ready again.
 */
class MailboxSinkOutageTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void anOutageOfOneMailboxSinkIsToldUnderItsNameAndOtherMailboxesDeliveringDoNotEndIt() throws Exception {
        GreenMailUser bob = greenMail.setUser("bob@localhost", "bob", "bob-pw");
        GreenMailUser carol = greenMail.setUser("carol@localhost", "carol", "carol-pw");
        append(bob, "support 1");
        append(carol, "invoice 1");
        Path blocker = data.resolve("blocked");
        Files.writeString(blocker, "a file where the sink's parent directory should be");
        Path supportSink = data.resolve("support-sink");
        Path invoicesSink = blocker.resolve("invoices");
        String invoicesUri = "file:" + invoicesSink + "?tempPrefix=.writing-";
        String invoicesShown = SinkStatus.masked(invoicesUri);
        int managementPort = Health.freePort();
        Map<String, String> p = Map.ofEntries(
                Map.entry("mail.accounts", "support,invoices"),
                Map.entry("mail.account.support.username", "bob"),
                Map.entry("mail.account.support.password", "bob-pw"),
                Map.entry("mail.account.support.sink-uri", "file:" + supportSink + "?tempPrefix=.writing-"),
                Map.entry("mail.account.invoices.username", "carol"),
                Map.entry("mail.account.invoices.password", "carol-pw"),
                Map.entry("mail.account.invoices.sink-uri", invoicesUri),
                Map.entry("mail.sink.redelivery-delay", "100"),
                Map.entry("mail.sink.max-redelivery-delay", "400ms"),
                Map.entry("camel.management.enabled", "true"),
                Map.entry("camel.management.port", String.valueOf(managementPort)));
        try (LogCapture log = LogCapture.of(SinkStatus.class);
                RunningMailbridge mb = RunningMailbridge.start(data.resolve("run"), greenMail.getImap().getPort(),
                        greenMail.getSmtp().getPort(), "unused", "unused", p)) {
            RunningMailbridge.await(Duration.ofSeconds(30), () -> log.at(Level.WARN).size() >= 2, "WARN lines of the invoices sink");
            awaitRecords(supportSink, 1);
            append(bob, "support 2"); // the support mailbox goes on delivering during the outage
            awaitRecords(supportSink, 2);
            Thread.sleep(300); // a try of the invoices record after the support delivery

            HttpResponse<String> notReady = Health.readiness(managementPort);
            assertEquals(503, notReady.statusCode(), "a support delivery must not end the invoices outage: " + notReady.body());
            JsonNode sinkCheck = Health.check(notReady, "sink");
            String message = sinkCheck.path("message").asText().replace("\\/", "/"); // Camel's health JSON escapes slashes twice
            assertTrue(message.startsWith("sink " + invoicesShown + " unavailable since ") && message.contains("Not a directory")
                    && !message.contains(supportSink.toString()), notReady.body());
            for (LogCapture.Line w : log.at(Level.WARN)) {
                assertTrue(w.message().startsWith("Sink " + invoicesShown + " unavailable") && w.message().contains("invoices/"),
                        w.message());
            }
            assertFalse(log.lines().stream().anyMatch(l -> l.message().contains("available again")), log.lines().toString());

            Files.delete(blocker);
            awaitRecords(invoicesSink, 1);
            RunningMailbridge.await(Duration.ofSeconds(10), () -> {
                try {
                    return Health.readiness(managementPort).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }, "ready again");
            assertTrue(log.at(Level.INFO).stream().anyMatch(l -> l.message().startsWith("Sink " + invoicesShown + " available again")), log.lines().toString());
        }
    }

    private static void append(GreenMailUser user, String subject) throws Exception {
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        inbox.appendMessage(TestMessages.plain("sender@example.com", user.getEmail(), subject, "body of " + subject),
                new Flags(), new Date());
    }

    private static void awaitRecords(Path dir, int count) throws InterruptedException {
        RunningMailbridge.await(Duration.ofSeconds(30), () -> {
            try {
                return Files.isDirectory(dir) && RunningMailbridge.jsonFiles(dir).size() >= count;
            } catch (java.io.IOException e) {
                return false;
            }
        }, count + " records in " + dir);
    }
}
