package io.mailbridge.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mailbridge.support.TokenService;
import org.junit.jupiter.api.Test;

/** The token endpoint client against a real HTTP token service: grants, caching, errors. */
class TokenEndpointProviderTest {

    @Test
    void clientCredentialsTokenIsCachedUntilShortlyBeforeItExpires() throws Exception {
        try (TokenService service = TokenService.start()) {
            service.addClient("app", "s3cret", "alice");
            TokenEndpointProvider provider = new TokenEndpointProvider(service.tokenUrl(), "app", "s3cret", "", "scope-a", Duration.ofSeconds(60));
            String first = provider.token(false);
            assertEquals(first, provider.token(false), "cached");
            assertEquals(1, service.issued());
            String fresh = provider.token(true);
            assertNotEquals(first, fresh, "a rejected token is never handed out again");
            assertEquals(2, service.issued());

            // a token living 2 s is renewed at half-life, not used until it has expired
            service.expiresIn(2);
            String shortLived = provider.token(true);
            Thread.sleep(1200);
            assertNotEquals(shortLived, provider.token(false));
        }
    }

    @Test
    void refreshTokenGrant() throws Exception {
        try (TokenService service = TokenService.start()) {
            service.addClient("app", "s3cret", "alice");
            service.addRefreshToken("rt-1", "app");
            assertTrue(new TokenEndpointProvider(service.tokenUrl(), "app", "s3cret", "rt-1", "", Duration.ofSeconds(60))
                    .token(false).startsWith("at-"));
            TokenException e = assertThrows(TokenException.class,
                    () -> new TokenEndpointProvider(service.tokenUrl(), "app", "s3cret", "rt-unknown", "", Duration.ofSeconds(60)).token(false));
            assertEquals("token endpoint " + service.tokenUrl() + " (client app) refused the refresh_token grant: HTTP 400 invalid_grant (unknown refresh token)",
                    e.getMessage());
        }
    }

    @Test
    void aWrongSecretGivesTheProvidersAnswerWithoutTheSecret() throws Exception {
        try (TokenService service = TokenService.start()) {
            service.addClient("app", "s3cret", "alice");
            TokenException e = assertThrows(TokenException.class,
                    () -> new TokenEndpointProvider(service.tokenUrl(), "app", "wrong-secret-77", "", "", Duration.ofSeconds(60)).token(false));
            assertTrue(e.getMessage().endsWith("refused the client_credentials grant: HTTP 401 invalid_client (unknown client or wrong secret)"), e.getMessage());
            assertTrue(!e.getMessage().contains("wrong-secret-77"));
        }
    }

    @Test
    void commandAndFileProviders() throws Exception {
        assertEquals("tok-123", new CommandTokenProvider("echo tok-123; echo ignored").token(false));
        TokenException e = assertThrows(TokenException.class, () -> new CommandTokenProvider("echo no access >&2; exit 3").token(false));
        assertEquals("token-command exited with 3 and printed no token: no access", e.getMessage());
        java.nio.file.Path file = java.nio.file.Files.createTempFile("token", ".txt");
        java.nio.file.Files.writeString(file, "file-token\n");
        assertEquals("file-token", new FileTokenProvider(file).token(false));
        java.nio.file.Files.delete(file);
    }
}
