package io.mailbridge.oauth2;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an IMAP store or SMTP transport logs in: with the password, or with XOAUTH2 and a token
 * asked from the {@link TokenProvider} on every connect. A rejected token gets one fresh token and
 * one retry; then the login fails with the account and the server's or provider's answer, and
 * further attempts fail at once until the back-off has passed, so a revoked client does not hammer
 * the provider.
 */
public class MailLogin {

    private static final Logger LOG = LoggerFactory.getLogger(MailLogin.class);

    private final TokenProvider tokens;
    private final String account;
    private final Duration backoff;
    private volatile Instant blockedUntil = Instant.MIN;
    private volatile String lastFailure;

    /** @param tokens null for a password login */
    public MailLogin(TokenProvider tokens, String account, Duration backoff) {
        this.tokens = tokens;
        this.account = account;
        this.backoff = backoff;
    }

    public boolean isOAuth2() {
        return tokens != null;
    }

    /** The mechanism, for the startup summary. */
    public String mechanism() {
        return tokens == null ? "password" : "XOAUTH2 (" + tokens.describe() + ")";
    }

    /** Session properties for the login: XOAUTH2 only, so Angus never falls back to sending the token as a password. */
    public void configure(Properties props, String protocol) {
        if (tokens != null) {
            props.put("mail." + protocol + ".auth.mechanisms", "XOAUTH2");
            props.put("mail." + protocol + ".auth", "true");
        }
    }

    public void connect(Service service, String host, int port, String user, String password) throws MessagingException {
        if (tokens == null) {
            service.connect(host, port, user, password);
            return;
        }
        if (Instant.now().isBefore(blockedUntil)) {
            throw new AuthenticationFailedException(lastFailure + "; next attempt after " + blockedUntil);
        }
        String token = token(false);
        try {
            service.connect(host, port, user, token);
            return;
        } catch (AuthenticationFailedException rejected) {
            LOG.info("Account {}: the server rejected the OAuth2 token ({}); asking for a new one", account, rejected.getMessage());
        }
        String fresh = token(true);
        try {
            service.connect(host, port, user, fresh);
        } catch (AuthenticationFailedException again) {
            throw fail("the server rejected a fresh token too: " + again.getMessage());
        }
    }

    private String token(boolean fresh) throws AuthenticationFailedException {
        try {
            return tokens.token(fresh);
        } catch (TokenException e) {
            throw fail("no token: " + e.getMessage());
        }
    }

    private AuthenticationFailedException fail(String why) {
        blockedUntil = Instant.now().plus(backoff);
        lastFailure = "OAuth2 login of account " + account + " failed: " + why;
        LOG.error("{}. Next attempt in {} s.", lastFailure, backoff.toSeconds());
        return new AuthenticationFailedException(lastFailure);
    }
}
