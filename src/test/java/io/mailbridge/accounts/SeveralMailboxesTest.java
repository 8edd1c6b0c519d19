package io.mailbridge.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.MailbridgeProcess;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three mailboxes configured only by -D properties in a mailbridge JVM of its own: two users of one
 * Dovecot, and a third account whose password is wrong. The third fails alone; the other two deliver
 * every message, each with its own key prefix, checkpoints and (for one) its own sink. The passwords
 * come from {{env:...}}, {{file:...}} and a literal, and none of them reaches the log.
 */
class SeveralMailboxesTest {

    private static final String SUPPORT_PASSWORD = "Bob-pw-7f3a9c1d";
    private static final String INVOICES_PASSWORD = "Carol-pw-e41d0b22";
    private static final String WRONG_PASSWORD = "Wrong-pw-55aa17ee";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void twoMailboxesDeliverEverythingWhileAThirdWithAWrongPasswordFailsAlone() throws Exception {
        try (DovecotServer dovecot = DovecotServer.start("accounts", null,
                "bob:" + SUPPORT_PASSWORD, "carol:" + INVOICES_PASSWORD)) {
            for (int i = 1; i <= 5; i++) {
                deliver(dovecot, "bob", "support " + i);
                deliver(dovecot, "carol", "invoice " + i);
            }
            Path passwordFile = data.resolve("invoices.password");
            Files.writeString(passwordFile, INVOICES_PASSWORD + "\n");
            Map<String, String> p = new HashMap<>();
            p.put("mail.embedded.enabled", "false");
            p.put("mail.imap.host", "127.0.0.1");
            p.put("mail.imap.port", String.valueOf(dovecot.port()));
            p.put("mail.imap.poll-delay", "200");
            p.put("mail.accounts", "support,invoices,broken");
            p.put("mail.account.support.username", "bob");
            p.put("mail.account.support.password", "{{env:SUPPORT_IMAP_PASSWORD}}");
            p.put("mail.account.support.sink-uri", "file:" + data.resolve("support-sink"));
            p.put("mail.account.invoices.username", "carol");
            p.put("mail.account.invoices.password", "{{file:" + passwordFile + "}}");
            p.put("mail.account.invoices.after", "seen");
            p.put("mail.account.broken.username", DovecotServer.USER);
            p.put("mail.account.broken.password", WRONG_PASSWORD);
            Path log = data.resolve("mailbridge.log");
            try (MailbridgeProcess mb = MailbridgeProcess.start(data, p, log, Map.of("SUPPORT_IMAP_PASSWORD", SUPPORT_PASSWORD))) {
                awaitRecords(data.resolve("support-sink"), 5);
                awaitRecords(data.resolve("inbox"), 5);
                for (int i = 6; i <= 8; i++) {
                    deliver(dovecot, "bob", "support " + i);
                    deliver(dovecot, "carol", "invoice " + i);
                }
                awaitRecords(data.resolve("support-sink"), 8);
                awaitRecords(data.resolve("inbox"), 8);
                RunningMailbridge.await(Duration.ofSeconds(20), () -> logHas(log, "IMAP broken folder")
                        && logHas(log, "[AUTHENTICATIONFAILED]"), "the broken account's failed login in the log");

                assertEquals(subjects("support", 8), subjectsIn(data.resolve("support-sink"), "support/"));
                assertEquals(subjects("invoice", 8), subjectsIn(data.resolve("inbox"), "invoices/"));
                String text = mb.logText();
                Files.writeString(Path.of("target/SeveralMailboxesTest-mailbridge.log"), text); // for people reading a failure
                for (String name : List.of("support", "invoices", "broken")) {
                    assertTrue(text.contains("Mailbox " + name + " (route imap-" + name + ", key prefix " + name + "): imap://127.0.0.1:"
                            + dovecot.port()), "startup summary of " + name + ":\n" + text);
                }
                assertTrue(text.contains("after seen, sink file:" + data.resolve("inbox")), text);
                assertTrue(text.contains("auth password, checkpoint INBOX none (start-from all)"), text);
                for (String secret : List.of(SUPPORT_PASSWORD, INVOICES_PASSWORD, WRONG_PASSWORD)) {
                    assertFalse(text.contains(secret), "a password is in the log");
                }
            }
            // own checkpoints per account, under the account name
            assertTrue(Files.exists(data.resolve("checkpoints/support/INBOX.checkpoint")));
            assertTrue(Files.exists(data.resolve("checkpoints/invoices/INBOX.checkpoint")));
            assertFalse(Files.exists(data.resolve("checkpoints/broken")));
        }
    }

    private static void deliver(DovecotServer dovecot, String user, String subject) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        TestMessages.plain("sender@example.com", user + "@localhost", subject, "body of " + subject).writeTo(out);
        dovecot.deliverRaw(user, "INBOX", subject.replace(' ', '-') + ".eml", out.toByteArray());
    }

    private static void awaitRecords(Path dir, int count) throws InterruptedException {
        RunningMailbridge.await(Duration.ofSeconds(30), () -> {
            try {
                return RunningMailbridge.jsonFiles(dir).size() >= count;
            } catch (java.io.IOException e) {
                return false;
            }
        }, count + " records in " + dir);
    }

    private static boolean logHas(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Set<String> subjects(String prefix, int n) {
        Set<String> out = new TreeSet<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + " " + i);
        }
        return out;
    }

    /** Subjects of the records in a sink; every record key must start with the account's prefix. */
    private static Set<String> subjectsIn(Path dir, String keyPrefix) throws Exception {
        Set<String> out = new TreeSet<>();
        List<Path> files = RunningMailbridge.jsonFiles(dir);
        for (Path f : files) {
            JsonNode record = JSON.readTree(f.toFile());
            assertTrue(record.path("key").asText().startsWith(keyPrefix), record.path("key").asText());
            out.add(record.path("subject").asText());
        }
        assertEquals(out.size(), files.size(), "no record twice");
        return out;
    }
}
