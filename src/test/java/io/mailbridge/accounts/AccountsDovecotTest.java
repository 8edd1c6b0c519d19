package io.mailbridge.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts against one Dovecot: health per mailbox, and the upgrade from the single-account setup. */
class AccountsDovecotTest {

    private static DovecotServer dovecot;
    private static int delivered;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("accounts-health");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void aFailingMailboxIsNamedInHealthWhileReadinessStaysUp() throws Exception {
        try (RunningMailbridge mb = start(data, Map.of("mail.accounts", "good,broken",
                "mail.account.broken.password", "wrong-password"))) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> mailboxDetail(mb, "broken").startsWith("DOWN"),
                    "health reports the broken mailbox");
            assertTrue(mailboxDetail(mb, "broken").contains("AUTHENTICATIONFAILED"), mailboxDetail(mb, "broken"));
            assertEquals("UP", mailboxDetail(mb, "good"));
            HealthCheck.Result mailboxes = HealthCheckHelper.invoke(mb.context(), "mailboxes", Map.of()).orElseThrow();
            assertEquals(HealthCheck.State.UP, mailboxes.getState());
            assertEquals("1 of 2 mailboxes failing: broken", mailboxes.getMessage().orElse(""));
            // readiness as a whole: Camel returns the DOWN checks, or a single UP one when there is none
            for (HealthCheck.Result r : HealthCheckHelper.invokeReadiness(mb.context())) {
                assertNotEquals(HealthCheck.State.DOWN, r.getState(), r.getCheck().getId() + " is DOWN: " + r.getMessage());
            }
        }
    }

    @Test
    void aMailboxWhoseServerNeverAnswersDoesNotSlowTheOthers() throws Exception {
        // accepts connections (the kernel does) and never sends a greeting: a login there hangs until the 30 s timeout
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                RunningMailbridge mb = start(data, Map.of("mail.accounts", "good,silent",
                        "mail.account.silent.port", String.valueOf(silent.getLocalPort())))) {
            deliver("while another server is silent");
            // awaitRecords gives up after 20 s, well before the silent login's 30 s timeout could have let it through
            List<JsonNode> records = mb.awaitRecords(delivered);
            assertTrue(records.stream().allMatch(r -> r.path("key").asText().startsWith("good/")));
        }
    }

    @Test
    void movingTheSingleAccountIntoAccountsNeverReadsItAgain() throws Exception {
        // today's single account reads two messages under its key prefix alice@127.0.0.1
        deliver("first");
        deliver("second");
        int before = delivered;
        try (RunningMailbridge mb = start(data, Map.of())) {
            mb.awaitRecords(before);
            // the checkpoint follows the records; stopping in between would leave them to be delivered again
            Path checkpoint = data.resolve("checkpoints/alice@127.0.0.1/INBOX.checkpoint");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> {
                try {
                    return java.nio.file.Files.readString(checkpoint).contains("lastUid=" + before + "\n");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, "checkpoint at uid " + before);
        }

        // moved into mail.accounts without saying what to do with its checkpoints: held back, with the keys to set
        try (RunningMailbridge mb = start(data, Map.of("mail.accounts", "support"))) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> mailboxDetail(mb, "support").startsWith("DOWN"), "support held back");
            assertEquals(ServiceStatus.Stopped, mb.context().getRouteController().getRouteStatus("imap-support"));
            String detail = mailboxDetail(mb, "support");
            assertTrue(detail.contains("Set mail.account.support.account=alice@127.0.0.1 to keep them, or set "
                    + "mail.account.support.start-from"), detail);
            assertEquals(before, mb.records().size());
        }

        // path 1: the old prefix kept: only the new message is read
        deliver("third");
        try (RunningMailbridge mb = start(data, Map.of("mail.accounts", "support",
                "mail.account.support.account", "alice@127.0.0.1"))) {
            mb.awaitRecords(before + 1);
            Thread.sleep(1000); // a few more polls: nothing is read twice
            assertEquals(before + 1, mb.records().size());
        }

        // path 2: a fresh start under the account name, meant as such: start-from=now reads only what comes next
        try (RunningMailbridge mb = start(data, Map.of("mail.accounts", "support",
                "mail.account.support.start-from", "now"))) {
            RunningMailbridge.await(Duration.ofSeconds(20),
                    () -> java.nio.file.Files.exists(data.resolve("checkpoints/support/INBOX.checkpoint")), "first poll of support");
            deliver("fourth");
            mb.awaitRecords(before + 2);
            Thread.sleep(1000);
            List<JsonNode> records = mb.records();
            assertEquals(before + 2, records.size());
            Map<String, String> keyBySubject = records.stream().collect(Collectors.toMap(
                    r -> r.path("subject").asText(), r -> r.path("key").asText()));
            assertTrue(keyBySubject.get("third").startsWith("alice@127.0.0.1/INBOX/"), keyBySubject.toString());
            assertTrue(keyBySubject.get("fourth").startsWith("support/INBOX/"), keyBySubject.toString());
        }
    }

    private static RunningMailbridge start(Path data, Map<String, String> overrides) throws Exception {
        Map<String, String> p = new HashMap<>(overrides);
        // only the listed accounts: a key of an account not in mail.accounts stops startup (a typo in either)
        for (String name : overrides.getOrDefault("mail.accounts", "").split(",")) {
            if (!name.isBlank()) {
                p.put("mail.account." + name.trim() + ".username", DovecotServer.USER);
            }
        }
        return RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER, DovecotServer.PASSWORD, p);
    }

    private static void deliver(String subject) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        TestMessages.plain("sender@example.com", "alice@localhost", subject, "body of " + subject).writeTo(out);
        dovecot.deliverRaw("INBOX", subject + "-" + System.nanoTime() + ".eml", out.toByteArray());
        delivered++;
    }

    /** The account's detail in the mailboxes check; "starting" while the context is still registering its checks. */
    private static String mailboxDetail(RunningMailbridge mb, String account) {
        // asked by id: invokeReadiness() lists only the DOWN checks (Camel's default exposure level)
        return HealthCheckHelper.invoke(mb.context(), "mailboxes", Map.of())
                .map(r -> String.valueOf(r.getDetails().get("account." + account))).orElse("starting");
    }
}
