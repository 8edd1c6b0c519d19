package io.mailbridge.oauth2;

/**
 * Hands out OAuth2 access tokens for XOAUTH2 logins. Asked on every connect: a server may end a
 * session when its token expires (Microsoft 365: {@code BYE Session invalidated - AccessTokenExpired}).
 */
public interface TokenProvider {

    /**
     * A token to log in with.
     *
     * @param fresh true after the server rejected the previous token: do not answer from a cache
     * @throws TokenException when no token could be had, with the provider's answer (never a secret)
     */
    String token(boolean fresh) throws TokenException;

    /** Where tokens come from, for logs and the startup summary; holds no secret. */
    String describe();
}
