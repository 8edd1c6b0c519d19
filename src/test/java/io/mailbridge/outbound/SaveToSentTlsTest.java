package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.FakeSmtpServer;
import io.mailbridge.support.LoggerCapture;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TokenService;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * save-to-sent logs in as the mailbox it writes to does: against a Dovecot that demands STARTTLS and refuses
 * clear-text logins, the copy is saved when the mailbox's settings say STARTTLS and trust the certificate,
 * and refused with one WARN (the message still sent) when the certificate is not trusted. With
 * mail.accounts, mail.smtp.save-to-sent-account picks the mailbox (an OAuth2 one logs in with its token),
 * and leaving it out stops startup.
 */
class SaveToSentTlsTest {

    private static final String HOST = DovecotServer.TLS_HOST;

    @TempDir
    static Path certificates; // outlives the server: Dovecot reads the certificate on start
    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.startWithConfig("save-to-sent-tls", DovecotServer.tlsRequiredConfig(certificates));
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private RunningMailbridge start(FakeSmtpServer smtp, Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(
                "mail.imap.host", HOST,
                "mail.imap.starttls", "true",
                "mail.imap.start-from", "now",
                "mail.imap.idle", "false",
                "mail.smtp.username", "", // the scripted SMTP server has no AUTH
                "mail.smtp.save-to-sent", "Sent"));
        props.putAll(extra);
        return RunningMailbridge.start(data, dovecot.port(), smtp.port(), DovecotServer.USER, DovecotServer.PASSWORD, props);
    }

    @Test
    void theTestServerRefusesClearTextLogins() throws Exception {
        // what makes the other tests mean something: a client that skipped STARTTLS could not log in at all
        try (Socket s = new Socket(HOST, dovecot.port());
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
            String greeting = in.readLine();
            assertTrue(greeting.contains("STARTTLS") && greeting.contains("LOGINDISABLED"), greeting);
        }
    }

    @Test
    void withStartTlsAndTheCertificateTrustedTheCopyIsSaved() throws Exception {
        try (LoggerCapture log = LoggerCapture.of(SentFolderAppender.class.getName(), Level.INFO);
                FakeSmtpServer smtp = new FakeSmtpServer();
                RunningMailbridge mb = start(smtp, Map.of("mail.imap.ssl-trust", HOST))) {
            RunningMailbridge.submit(data, "r.txt", "To: bob@example.com\nSubject: saved over starttls\n\nx\n");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> savedCopies("saved over starttls").size() == 1,
                    "a copy in alice's Sent");
            assertEquals(1, smtp.accepted.size(), "sent once");
            Path copy = savedCopies("saved over starttls").get(0);
            assertTrue(copy.getFileName().toString().matches(".*:2,[A-Z]*S[A-Z]*"), "marked \\Seen: " + copy.getFileName());
            assertEquals(List.of(), log.lines(), "no complaint from save-to-sent");
        }
        assertTrue(dovecot.log().lines().anyMatch(l -> l.contains("Login: user=<alice>") && l.contains("lip=" + HOST)
                && l.contains("TLS")), "logged in over TLS:\n" + dovecot.log());
    }

    @Test
    void anUntrustedCertificateRefusesTheCopyWithOneWarnAndTheMessageIsStillSent() throws Exception {
        try (LoggerCapture log = LoggerCapture.of(SentFolderAppender.class.getName(), Level.INFO);
                FakeSmtpServer smtp = new FakeSmtpServer();
                RunningMailbridge mb = start(smtp, Map.of())) { // no mail.imap.ssl-trust: the self-signed certificate is not trusted
            RunningMailbridge.submit(data, "r.txt", "To: bob@example.com\nSubject: not trusted\n\nx\n");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> !log.lines().isEmpty(), "save-to-sent's WARN");
            RunningMailbridge.await(Duration.ofSeconds(10), () -> sentRecords() == 1,
                    "the sent record");
            assertEquals(1, smtp.accepted.size(), "the message was sent, once");
            // the file consumer deletes the request when the exchange completes, just after the sent record
            RunningMailbridge.await(Duration.ofSeconds(10), () -> !Files.exists(data.resolve("outbox/r.txt")),
                    "the request left the outbox");
            List<LoggerCapture.Line> lines = log.lines();
            assertEquals(1, lines.size(), lines.toString());
            LoggerCapture.Line warn = lines.get(0);
            assertEquals(Level.WARN, warn.level());
            assertTrue(warn.message().contains("IMAP folder 'Sent'"), warn.message());
            assertTrue(warn.message().contains("certificate for " + HOST + " not trusted"), warn.message());
            assertNull(warn.thrown(), "no stack trace at WARN");
        }
        assertEquals(List.of(), savedCopies("not trusted"), "nothing saved");
    }

    @Test
    void withAccountsTheNamedAccountsMailboxGetsTheCopy() throws Exception {
        // the server is in the account's own keys; mail.imap.* points at a closed port, so a copy made with
        // mail.imap.* instead would be refused
        Map<String, String> props = Map.of("mail.accounts", "work",
                "mail.account.work.host", HOST, "mail.account.work.port", String.valueOf(dovecot.port()),
                "mail.account.work.starttls", "true", "mail.account.work.ssl-trust", HOST,
                "mail.imap.host", "127.0.0.1", "mail.imap.port", "1", "mail.imap.starttls", "false",
                "mail.smtp.save-to-sent-account", "work");
        try (FakeSmtpServer smtp = new FakeSmtpServer(); RunningMailbridge mb = start(smtp, props)) {
            RunningMailbridge.submit(data, "r.txt", "To: bob@example.com\nSubject: saved for work\n\nx\n");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> savedCopies("saved for work").size() == 1,
                    "a copy in the work account's Sent");
        }
    }

    @Test
    void anOAuth2AccountSavesWithItsToken() throws Exception {
        // the account's token provider is set when its route is made, after the appender is bound: the copy
        // logs in with a token only because the appender reads the account's configuration when it connects
        try (TokenService tokens = TokenService.start();
                DovecotServer oauth2 = DovecotServer.start("save-to-sent-oauth2", tokens.introspectUrl());
                FakeSmtpServer smtp = new FakeSmtpServer();
                RunningMailbridge mb = RunningMailbridge.start(data, oauth2.port(), smtp.port(), DovecotServer.USER,
                        "not-the-password", Map.of("mail.accounts", "support",
                                "mail.account.support.auth", "oauth2",
                                "mail.account.support.oauth2.token-url", tokens.tokenUrl(),
                                "mail.account.support.oauth2.client-id", "support-app",
                                "mail.account.support.oauth2.client-secret", "app-secret",
                                "mail.imap.idle", "false",
                                "mail.smtp.username", "",
                                "mail.smtp.save-to-sent", "Sent",
                                "mail.smtp.save-to-sent-account", "support"))) {
            tokens.addClient("support-app", "app-secret", DovecotServer.USER);
            RunningMailbridge.submit(data, "r.txt", "To: bob@example.com\nSubject: saved with a token\n\nx\n");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> savedCopies(oauth2, "saved with a token").size() == 1,
                    "a copy in the support account's Sent");
        }
    }

    @Test
    void withAccountsSaveToSentNeedsTheAccountKey() {
        String error = RunningMailbridge.startupError(data, Map.of("mail.accounts", "work,home",
                "mail.smtp.save-to-sent", "Sent"));
        assertTrue(error.contains("mail.smtp.save-to-sent-account must name the account"), error);
        assertTrue(error.contains("[work, home]"), error);
    }

    @Test
    void anAccountNotInMailAccountsIsRefused() {
        String error = RunningMailbridge.startupError(data, Map.of("mail.accounts", "work",
                "mail.smtp.save-to-sent", "Sent", "mail.smtp.save-to-sent-account", "wrok"));
        assertTrue(error.contains("mail.smtp.save-to-sent-account=wrok: not an account of mail.accounts [work]"), error);
    }

    private int sentRecords() {
        try {
            return RunningMailbridge.jsonFiles(data.resolve("outbox-sent")).size();
        } catch (IOException e) {
            return 0; // not there yet
        }
    }

    /** The messages in alice's Sent (Maildir cur/ and new/) with this subject. */
    private static List<Path> savedCopies(String subject) {
        return savedCopies(dovecot, subject);
    }

    private static List<Path> savedCopies(DovecotServer server, String subject) {
        List<Path> found = new ArrayList<>();
        Path sent = server.maildir("Sent");
        for (String sub : List.of("cur", "new")) {
            Path dir = sent.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (Files.readString(f, StandardCharsets.ISO_8859_1).contains("Subject: " + subject)) {
                        found.add(f);
                    }
                }
            } catch (IOException e) {
                // a file Dovecot renamed between list and read (new/ to cur/): the next look finds it
            }
        }
        return found;
    }
}
