package io.mailbridge.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.WholeLog;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTH XOAUTH2 on SMTP against GreenMail, which checks the token as the user's password. The
 * configured SMTP password is wrong, so only the token can get the message through.
 */
class SmtpOAuth2Test {

    private static final String TOKEN = "smtp-token-3c9e51";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path data;

    @Test
    void aRequestIsSentWithAnXoauth2Token() throws Exception {
        greenMail.setUser("alice@localhost", "alice", TOKEN);
        Path tokenFile = data.resolve("smtp.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        try (WholeLog log = new WholeLog();
                RunningMailbridge mb = start(Map.of("mail.smtp.oauth2.token-file", tokenFile.toString()))) {
            RunningMailbridge.submit(data, "hello.json", "{\"to\": [\"bob@example.com\"], \"subject\": \"by token\", \"text\": \"x\"}");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> greenMail.getReceivedMessages().length == 1, "message received");
            assertEquals("by token", greenMail.getReceivedMessages()[0].getSubject());
            assertFalse(log.text().contains(TOKEN), "token in the log");
        }
    }

    @Test
    void aRejectedTokenLeavesTheRequestInTheOutboxWithAClearError() throws Exception {
        greenMail.setUser("alice@localhost", "alice", TOKEN);
        try (WholeLog log = new WholeLog();
                RunningMailbridge mb = start(Map.of("mail.smtp.oauth2.token-command", "echo not-the-token"))) {
            RunningMailbridge.submit(data, "hello.json", "{\"to\": [\"bob@example.com\"], \"subject\": \"by token\", \"text\": \"x\"}");
            RunningMailbridge.await(Duration.ofSeconds(20),
                    () -> log.text().contains("OAuth2 login of account smtp alice@127.0.0.1 failed: the server rejected a fresh token too"),
                    "the failed login is reported:\n" + log.text());
            assertEquals(0, greenMail.getReceivedMessages().length);
            assertTrue(Files.exists(data.resolve("outbox/hello.json")), "the request waits in the outbox");
            assertFalse(Files.exists(data.resolve("outbox-failed/hello.json")), "not given up on");
        }
    }

    private RunningMailbridge start(Map<String, String> tokenSource) throws Exception {
        Map<String, String> p = new java.util.HashMap<>(tokenSource);
        p.put("mail.smtp.auth", "oauth2");
        p.put("mail.smtp.username", "alice");
        p.put("mail.imap.poll-delay", "1h");
        p.put("mail.oauth2.login-backoff", "1s");
        return RunningMailbridge.start(data, 1, greenMail.getSmtp().getPort(), "alice", "not-the-password", p);
    }
}
