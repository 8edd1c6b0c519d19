package io.mailbridge.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.Health;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import io.mailbridge.support.TokenService;
import io.mailbridge.support.WholeLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every XOAUTH2 login, the first and each one after a reconnect, takes its token from the provider;
 * a refused token is replaced once however many connections met it; refusals are counted by who
 * refused; and an endpoint that echoes the token request leaves no secret in any log line or health
 * detail. Against Dovecot's passdb oauth2 and the test's token service, IDLE on (two connections).
 */
class OAuth2ReloginTest {

    private static final String CLIENT = "relogin-app";
    private static final String CLIENT_SECRET = "app-secret/+9d8c71&x=1";
    private static final String REFRESH_TOKEN = "rt-4f1e2d/refresh+7";
    private static final String PASSWORD = "imap-password-5518";

    @TempDir
    Path data;

    @Test
    void shortLivedTokensAndForcedReconnectsMeetNoRefusedLogin() throws Exception {
        try (TokenService tokens = TokenService.start();
                DovecotServer dovecot = DovecotServer.start("oauth2-relogin", tokens.introspectUrl())) {
            tokens.addClient(CLIENT, CLIENT_SECRET, DovecotServer.USER);
            tokens.expiresIn(4); // renewed after 2 s (half-life); Dovecot calls it inactive after 4 s
            deliver(dovecot, "before start");
            try (WholeLog log = new WholeLog(); RunningMailbridge mb = start(tokens, dovecot, Map.of())) {
                mb.awaitRecords(1);
                for (int i = 1; i <= 6; i++) {
                    Thread.sleep(1500);
                    // a kick ends the sessions (BYE); a killed imap process drops them mid-command
                    if (i % 2 == 1) {
                        dovecot.kick();
                    } else {
                        dovecot.killImapProcesses();
                    }
                    deliver(dovecot, "after reconnect " + i);
                    mb.awaitRecords(1 + i);
                }
                awaitIdleConnected(mb);
                String dovecotLog = dovecot.log();
                assertEquals(0, tokens.inactiveAnswers(), "logins with an expired token:\n" + dovecotLog);
                assertFalse(dovecotLog.contains("auth failed"), dovecotLog);
                assertTrue(tokens.issued() >= 4, "tokens were renewed as they aged: " + tokens.issued());
                assertTrue(tokens.introspections() >= 12, "every reconnect logged in again: " + tokens.introspections());
                assertEquals(0.0, refusals(mb, "server"));
                assertEquals(0.0, refusals(mb, "token-endpoint"));
                assertFalse(log.text().contains("rejected the OAuth2 token"), log.text());
            }
        }
    }

    @Test
    void aTokenRefusedOnTwoConnectionsIsReplacedOnceAndEachRefusalCountedOnce() throws Exception {
        try (TokenService tokens = TokenService.start();
                DovecotServer dovecot = DovecotServer.start("oauth2-twice", tokens.introspectUrl())) {
            tokens.addClient(CLIENT, CLIENT_SECRET, DovecotServer.USER);
            deliver(dovecot, "before start");
            try (RunningMailbridge mb = start(tokens, dovecot, Map.of())) {
                mb.awaitRecords(1);
                awaitIdleConnected(mb);
                assertEquals(1, tokens.issued(), "one token for both connections");

                // the token is revoked while mailbridge still holds it: both connections meet the refusal
                tokens.expireAll();
                dovecot.kick();
                deliver(dovecot, "after revocation");
                mb.awaitRecords(2);
                Thread.sleep(1000);
                awaitIdleConnected(mb);

                assertEquals(2, tokens.issued(), "one refresh for the one rejected token");
                int refused = tokens.inactiveAnswers();
                assertTrue(refused >= 1 && refused <= 2, "logins refused: " + refused);
                assertEquals(refused, refusals(mb, "server"), "each refused login counted once");
                assertEquals(0.0, refusals(mb, "token-endpoint"));
            }
        }
    }

    @Test
    void anEchoingTokenEndpointLeavesNoSecretInAnyLogLineOrHealthDetail() throws Exception {
        var level = LogManager.getLogger("io.mailbridge").getLevel();
        Configurator.setLevel("io.mailbridge", Level.DEBUG); // stack traces too
        try (TokenService tokens = TokenService.start();
                DovecotServer dovecot = DovecotServer.start("oauth2-echo", tokens.introspectUrl())) {
            tokens.addClient(CLIENT, CLIENT_SECRET, DovecotServer.USER);
            tokens.addRefreshToken(REFRESH_TOKEN, CLIENT);
            tokens.echoErrors(true);
            int port = Health.freePort();
            try (WholeLog log = new WholeLog();
                    RunningMailbridge mb = start(tokens, dovecot, Map.of(
                            "mail.account.support.oauth2.refresh-token", REFRESH_TOKEN,
                            "camel.management.enabled", "true", "camel.management.port", String.valueOf(port)))) {
                RunningMailbridge.await(Duration.ofSeconds(20), () -> mailboxes(mb).contains("refused the refresh_token grant"),
                        "health names the refusal");
                RunningMailbridge.await(Duration.ofSeconds(20), () -> tokens.tokenRefusals() >= 3, "a few attempts");
                RunningMailbridge.await(Duration.ofSeconds(10), () -> refusals(mb, "token-endpoint") == tokens.tokenRefusals(),
                        "each refusal of the token endpoint counted once");
                assertEquals(0.0, refusals(mb, "server"), "no login reached the server");

                String detail = mailboxes(mb);
                String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/health?data=true")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                String logged = log.text();
                assertTrue(detail.contains("HTTP 400 Bad Request we received: grant_type=refresh_token&refresh_token=****"
                        + "&client_id=" + CLIENT + "&client_secret=****"), "the body is quoted, on one line, without secrets: " + detail);
                assertTrue(logged.contains("ERROR MailLogin - OAuth2 login of account support failed: no token:"), logged);
                assertTrue(logged.contains("WARN  SyncFailures - IMAP support folder INBOX"), logged);
                assertTrue(logged.contains("DEBUG SyncFailures - IMAP support folder INBOX: failure detail"), "stack traces captured");
                for (String secret : List.of(CLIENT_SECRET, REFRESH_TOKEN, PASSWORD)) {
                    for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                        assertFalse(logged.contains(form), "'" + form + "' in the log");
                        assertFalse(detail.contains(form), "'" + form + "' in the health detail");
                        assertFalse(health.contains(form), "'" + form + "' in /observe/health");
                    }
                }
            }
        } finally {
            Configurator.setLevel("io.mailbridge", level);
        }
    }

    private RunningMailbridge start(TokenService tokens, DovecotServer dovecot, Map<String, String> more) throws Exception {
        Map<String, String> p = new HashMap<>(Map.of("mail.accounts", "support",
                "mail.account.support.auth", "oauth2",
                "mail.account.support.oauth2.token-url", tokens.tokenUrl(),
                "mail.account.support.oauth2.client-id", CLIENT,
                "mail.account.support.oauth2.client-secret", CLIENT_SECRET,
                "mail.oauth2.login-backoff", "1s"));
        p.putAll(more);
        return RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER, PASSWORD, p);
    }

    private static double refusals(RunningMailbridge mb, String by) {
        Counter c = registry(mb).find("mailbridge.imap.login.failures").tags("account", "support", "refused_by", by).counter();
        if (c == null) {
            throw new AssertionError("no mailbridge_imap_login_failures_total{account=support,refused_by=" + by + "}");
        }
        return c.count();
    }

    private static MeterRegistry registry(RunningMailbridge mb) {
        return mb.context().getRegistry().findSingleByType(MeterRegistry.class);
    }

    private static void awaitIdleConnected(RunningMailbridge mb) throws InterruptedException {
        RunningMailbridge.await(Duration.ofSeconds(20), () -> {
            Gauge g = registry(mb).find("mailbridge.imap.idle.connected").tags("account", "support", "folder", "INBOX").gauge();
            return g != null && g.value() == 1.0;
        }, "IDLE connected");
    }

    /** The account.support detail of the mailboxes health check. */
    private static String mailboxes(RunningMailbridge mb) {
        return HealthCheckHelper.invoke(mb.context(), "mailboxes", Map.of())
                .map(r -> String.valueOf(r.getDetails())).orElse("no mailboxes check");
    }

    private static void deliver(DovecotServer dovecot, String subject) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        TestMessages.plain("sender@example.com", "alice@localhost", subject, "body of " + subject).writeTo(out);
        dovecot.deliverRaw("INBOX", subject.replace(' ', '-') + ".eml", out.toByteArray());
    }
}
