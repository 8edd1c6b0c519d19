package io.mailbridge.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.WholeLog;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import io.mailbridge.support.TokenService;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real XOAUTH2 exchange: Dovecot checks each bearer token against the test's token service (RFC
 * 7662 introspection), mailbridge gets its tokens from the same service with the client-credentials
 * grant. The IMAP password configured is wrong, so only the token can log in.
 */
class OAuth2DovecotTest {

    private static final String CLIENT = "support-app";
    private static final String CLIENT_SECRET = "app-secret-9d8c71";

    @TempDir
    Path data;

    @Test
    void tokenLoginRefreshAfterExpiryAndAClearErrorForARevokedClient() throws Exception {
        try (TokenService tokens = TokenService.start();
                DovecotServer dovecot = DovecotServer.start("oauth2", tokens.introspectUrl())) {
            tokens.addClient(CLIENT, CLIENT_SECRET, DovecotServer.USER);
            deliver(dovecot, "before start");
            try (WholeLog log = new WholeLog();
                    RunningMailbridge mb = RunningMailbridge.start(data, dovecot.port(), 1, DovecotServer.USER, "not-the-password",
                    Map.of("mail.accounts", "support",
                            "mail.account.support.auth", "oauth2",
                            "mail.account.support.oauth2.token-url", tokens.tokenUrl(),
                            "mail.account.support.oauth2.client-id", CLIENT,
                            "mail.account.support.oauth2.client-secret", CLIENT_SECRET,
                            "mail.oauth2.login-backoff", "1s",
                            // one connection, so one rejected token means one refresh (an IDLE connection would log in too)
                            "mail.imap.idle", "false"))) {
                // a fresh token logs in
                mb.awaitRecords(1);
                assertEquals(1, tokens.issued(), "one token for the first login");

                // the token expires; Dovecot keeps the session, so the test ends it: the reconnect meets
                // AUTHENTICATIONFAILED with the cached token, asks for a new one, and loses nothing
                tokens.expireAll();
                dovecot.kick();
                deliver(dovecot, "after expiry");
                mb.awaitRecords(2);
                assertEquals(2, tokens.issued(), "exactly one refresh");

                // the client is revoked: one refresh attempt, then a clear error naming the account and the provider's answer
                tokens.revoke(CLIENT);
                dovecot.kick();
                deliver(dovecot, "while revoked");
                RunningMailbridge.await(Duration.ofSeconds(20), () -> mailboxes(mb).contains("revoked"), "health names the revoked client");
                String detail = mailboxes(mb);
                assertTrue(detail.contains("OAuth2 login of account support failed: no token: token endpoint " + tokens.tokenUrl()
                        + " (client support-app) refused the client_credentials grant: HTTP 401 invalid_client (client support-app has been revoked)"),
                        detail);
                assertEquals(2, mb.records().size());

                // access restored: after the back-off the waiting message arrives
                tokens.restore(CLIENT);
                mb.awaitRecords(3);
                Set<String> subjects = new TreeSet<>();
                for (JsonNode r : mb.records()) {
                    subjects.add(r.path("subject").asText());
                }
                assertEquals(Set.of("before start", "after expiry", "while revoked"), subjects);

                // neither the client secret nor any token was logged
                String logged = log.text();
                assertTrue(logged.contains("OAuth2 login of account support failed"), "the log was captured");
                assertFalse(logged.contains(CLIENT_SECRET), "client secret in the log");
                for (String token : tokens.tokens()) {
                    assertFalse(logged.contains(token), "access token in the log");
                }
            }
        }
    }

    /** The account.support detail of the mailboxes health check. */
    private static String mailboxes(RunningMailbridge mb) {
        return HealthCheckHelper.invoke(mb.context(), "mailboxes", Map.of())
                .map(r -> String.valueOf(r.getDetails().get("account.support"))).orElse("no mailboxes check");
    }

    private static void deliver(DovecotServer dovecot, String subject) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        TestMessages.plain("sender@example.com", "alice@localhost", subject, "body of " + subject).writeTo(out);
        dovecot.deliverRaw("INBOX", subject.replace(' ', '-') + ".eml", out.toByteArray());
    }
}
