package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.LoggerCapture;
import io.mailbridge.support.RunningMailbridge;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong password on a real server: logins back off instead of repeating on every poll. The server
 * answers a refused login at once here (Dovecot's failure delay of 2 s and its growing per-IP penalty
 * would hide how often the client retries), and the back-off is shortened: poll-delay 500 ms, at
 * most 4 s. Without back-off that is about 12 logins in 12 s (one per poll, each taking ~0.5 s here).
 */
class DovecotLoginBackoffTest {

    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        // refused logins answered at once: no failure delay, no per-IP penalty (anvil's socket closed to auth)
        dovecot = DovecotServer.startWithConfig("login", "auth_failure_delay = 0\n"
                + "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void wrongPasswordIsRetriedWithBackoffOneReadableWarnPerAttemptAndTheAccountIsDown() throws Exception {
        String wrong = "not-the-secret-42";
        Map<String, String> overrides = Map.of("mail.imap.poll-delay", "500", "mail.imap.max-login-backoff", "4s",
                "mail.imap.account", "support");
        List<LoggerCapture.Line> warns;
        try (LoggerCapture log = LoggerCapture.of("io.mailbridge", Level.DEBUG);
                RunningMailbridge mb = RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER, wrong, overrides)) {
            Thread.sleep(12_000);
            warns = log.lines().stream().filter(l -> l.level() == Level.WARN).toList();
            log.lines().forEach(l -> assertFalse(l.message().contains(wrong), "password in the log: " + l));

            HealthCheck.Result account = HealthCheckHelper.invoke(mb.context()).stream()
                    .filter(r -> r.getCheck().getId().equals("imap-account-imap-inbound")).findFirst().orElseThrow();
            assertEquals(HealthCheck.State.DOWN, account.getState());
            assertTrue(account.getMessage().orElse("").contains("login refused"), account.getMessage().toString());
            assertTrue(HealthCheckHelper.invokeReadiness(mb.context()).stream()
                    .noneMatch(r -> r.getCheck().getId().startsWith("imap-account")), "not a readiness check");
        }
        int attempts = count(Pattern.compile("auth failed"), dovecot.log());
        System.out.println("wrong password, 12 s at poll-delay 500 ms, max-login-backoff 4 s: " + attempts
                + " login attempts (without back-off: ~12); log lines:");
        warns.forEach(System.out::println);

        // attempts at about 0, 1, 2.5, 5 and 9.5 s (each refusal takes ~0.5 s, then 0.5, 1, 2, 4 s of back-off)
        assertTrue(attempts >= 4 && attempts <= 7, attempts + " attempts");
        assertEquals(attempts, warns.size(), "one WARN per attempt: " + warns);
        for (LoggerCapture.Line warn : warns) {
            assertTrue(warn.message().matches("IMAP support folder INBOX \\(127\\.0\\.0\\.1:\\d+\\): login refused: "
                    + "\\[AUTHENTICATIONFAILED\\].*; next try in \\d+(ms|s) at \\d\\d:\\d\\d:\\d\\dZ \\(attempt \\d+ failed\\)"), warn.message());
            assertEquals(null, warn.thrown(), "no stack trace at WARN");
            assertTrue(warn.message().length() < 200, warn.message());
        }
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
