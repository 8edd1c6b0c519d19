package io.mailbridge.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import io.mailbridge.support.TokenService;
import org.junit.jupiter.api.Test;

/** One refresh per rejected token, and the secrets kept out of what the provider reports. */
class TokenReplacementTest {

    @Test
    void aRejectedTokenIsReplacedOnceHoweverManyConnectionsMetIt() throws Exception {
        try (TokenService service = TokenService.start()) {
            service.addClient("app", "s3cret", "alice");
            TokenEndpointProvider provider = new TokenEndpointProvider(service.tokenUrl(), "app", "s3cret", "", "", Duration.ofSeconds(60));
            String first = provider.token(false);
            CyclicBarrier together = new CyclicBarrier(2);
            var a = CompletableFuture.supplyAsync(() -> replaceTogether(provider, first, together));
            var b = CompletableFuture.supplyAsync(() -> replaceTogether(provider, first, together));
            assertEquals(a.get(), b.get(), "both connections get the same replacement");
            assertNotEquals(first, a.get());
            assertEquals(2, service.issued(), "one refresh for one rejected token");
            // a connection that meets the refusal of the replacement gets a new one
            assertNotEquals(a.get(), provider.replace(a.get()));
            assertEquals(3, service.issued());
        }
    }

    private static String replaceTogether(TokenEndpointProvider provider, String rejected, CyclicBarrier together) {
        try {
            together.await();
            return provider.replace(rejected);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEchoedRequestIsQuotedOnOneLineWithoutTheSecrets() throws Exception {
        try (TokenService service = TokenService.start()) {
            service.echoErrors(true);
            String secret = "c/s+" + "x".repeat(150) + "=end";
            TokenException e = assertThrows(TokenException.class,
                    () -> new TokenEndpointProvider(service.tokenUrl(), "app", secret, "rt/1+2", "scope-a", Duration.ofSeconds(60)).token(false));
            assertTrue(e.isRefusal());
            String m = e.getMessage();
            assertTrue(m.contains("refused the refresh_token grant: HTTP 400 Bad Request we received: grant_type=refresh_token"
                    + "&refresh_token=****&client_id=app&client_secret=****&scope=scope-a"), m);
            assertFalse(m.contains("\n"), m);
            assertFalse(m.contains("xxxxxxxxxx"), "no part of the secret is left: " + m);
        }
    }

    @Test
    void secretsGoInEveryFormARequestOrAnAnswerMayCarryThem() {
        List<String> secrets = List.of("p@ss/word+1", "");
        assertEquals("a **** b **** c **** d ****", Secrets.redact(
                "a p@ss/word+1 b p%40ss%2Fword%2B1 c p%40ss%2fword%2b1 d p@ss\\/word+1", secrets));
        assertEquals("nothing here", Secrets.redact("nothing here", secrets));
    }
}
