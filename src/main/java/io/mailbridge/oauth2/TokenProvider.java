package io.mailbridge.oauth2;

import java.util.List;

/**
 * Hands out OAuth2 access tokens for XOAUTH2 logins. Asked on every login, the first and every one
 * after a reconnect: a server may end a session when its token expires (Microsoft 365:
 * {@code BYE Session invalidated - AccessTokenExpired}).
 */
public interface TokenProvider {

    /**
     * A token to log in with.
     *
     * @param fresh true: do not answer from a cache
     * @throws TokenException when no token could be had, with the provider's answer (never a secret)
     */
    String token(boolean fresh) throws TokenException;

    /**
     * A token to use instead of {@code rejected}, which a server refused. A provider that caches
     * answers with a token it got since then (another connection met the same refusal a moment
     * earlier) and asks for a new one only when it still holds the rejected one: one refresh per
     * rejected token, however many connections met it.
     */
    default String replace(String rejected) throws TokenException {
        return token(true);
    }

    /** Where tokens come from, for logs and the startup summary; holds no secret. */
    String describe();

    /** The secrets this provider sends (client secret, refresh token), so that no text logged or reported shows them. */
    default List<String> secrets() {
        return List.of();
    }
}
