package io.mailbridge.oauth2;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an IMAP store or SMTP transport logs in: with the password, or with XOAUTH2 and a token
 * asked from the {@link TokenProvider} at every login, the first one of a store and every one Angus
 * Mail makes later on a new connection of that store (a folder reopened after a reconnect; see
 * {@link OAuth2ImapStore}). A rejected token is replaced once (one refresh per rejected token,
 * however many connections met it) and the login retried; then the login fails with the account and
 * the server's or provider's answer, and further attempts fail at once until the back-off has
 * passed, so a revoked client does not hammer the provider. No text it logs or reports holds the
 * account's secrets (password, client secret, refresh token).
 */
public class MailLogin {

    private static final Logger LOG = LoggerFactory.getLogger(MailLogin.class);

    /** Who refused a login, as {@code mailbridge_imap_login_failures_total{refused_by}} tells them apart. */
    public enum RefusedBy {
        SERVER("server"), TOKEN_ENDPOINT("token-endpoint");

        private final String label;

        RefusedBy(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One try at logging in with a token: null when logged in, else the server's refusal in its words. */
    @FunctionalInterface
    interface Attempt<E extends Exception> {
        String login(String token) throws E;
    }

    /** A mail operation that may log in on a new connection (opening a folder, a store command). */
    @FunctionalInterface
    public interface Operation<T> {
        T run() throws MessagingException;
    }

    private final TokenProvider tokens;
    private final String account;
    private final Duration backoff;
    private final List<Consumer<RefusedBy>> refusalListeners = new CopyOnWriteArrayList<>();
    /** The refusal behind a login on this thread that Angus reported only as "connection failure". */
    private final ThreadLocal<AuthenticationFailedException> refusedHere = new ThreadLocal<>();
    private volatile Instant blockedUntil = Instant.MIN;
    private volatile String lastFailure;
    private volatile String password;

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

    /** Told of every refused login: once per refused attempt, by the server or by the token endpoint. */
    public void addRefusalListener(Consumer<RefusedBy> listener) {
        refusalListeners.add(listener);
    }

    public void removeRefusalListener(Consumer<RefusedBy> listener) {
        refusalListeners.remove(listener);
    }

    /**
     * The IMAP store to connect with {@link #connect}: for XOAUTH2 one that asks this login for a
     * token on each of its connections ({@link OAuth2ImapStore}), else the session's own.
     */
    public Store imapStore(Session session, String protocol) throws NoSuchProviderException {
        return tokens == null ? session.getStore(protocol) : new OAuth2ImapStore(session, protocol, this);
    }

    public void connect(Service service, String host, int port, String user, String password) throws MessagingException {
        this.password = password;
        if (tokens == null) {
            try {
                service.connect(host, port, user, password);
            } catch (AuthenticationFailedException refused) {
                refused(RefusedBy.SERVER);
                throw redacted(refused);
            }
            return;
        }
        checkNotPaused();
        if (service instanceof OAuth2ImapStore) {
            // the store's connections ask login() for their tokens; Angus needs a non-null password to try
            service.connect(host, port, user, "");
            return;
        }
        login(token -> {
            try {
                service.connect(host, port, user, token);
                return null;
            } catch (AuthenticationFailedException rejected) {
                return rejected.getMessage() == null ? "" : rejected.getMessage();
            }
        });
    }

    /**
     * Runs an operation that may make Angus open a connection and log in on its own (a folder
     * opened after a reconnect). Angus reports a failed login there only as "connection failure";
     * this gives the refusal that caused it instead, as an {@link AuthenticationFailedException}.
     */
    public <T> T loggingIn(Operation<T> operation) throws MessagingException {
        refusedHere.remove();
        try {
            return operation.run();
        } catch (MessagingException e) {
            AuthenticationFailedException why = refusedHere.get();
            if (why == null || e instanceof AuthenticationFailedException) {
                throw e;
            }
            throw new AuthenticationFailedException(why.getMessage(), e);
        } finally {
            refusedHere.remove();
        }
    }

    /** Fails at once, without a connection, while the back-off after a failed login lasts. */
    void checkNotPaused() throws AuthenticationFailedException {
        Instant until = blockedUntil;
        if (Instant.now().isBefore(until)) {
            throw remember(new AuthenticationFailedException(lastFailure + "; next attempt after " + until));
        }
    }

    /**
     * A login with a token from the provider: one try, and after a refusal one more with the token
     * that replaces the refused one.
     */
    <E extends Exception> void login(Attempt<E> attempt) throws E, AuthenticationFailedException {
        checkNotPaused();
        String token = token(null);
        String refusal = attempt.login(token);
        if (refusal == null) {
            return;
        }
        refused(RefusedBy.SERVER);
        LOG.info("Account {}: the server rejected the OAuth2 token ({}); asking for a new one", account, redact(refusal));
        String fresh = token(token);
        refusal = attempt.login(fresh);
        if (refusal == null) {
            return;
        }
        refused(RefusedBy.SERVER);
        throw fail("the server rejected a fresh token too: " + refusal);
    }

    /** @param rejected null for the current token, else the token the server refused */
    private String token(String rejected) throws AuthenticationFailedException {
        try {
            return rejected == null ? tokens.token(false) : tokens.replace(rejected);
        } catch (TokenException e) {
            if (e.isRefusal()) {
                refused(RefusedBy.TOKEN_ENDPOINT);
            }
            throw fail("no token: " + e.getMessage());
        }
    }

    private void refused(RefusedBy by) {
        for (Consumer<RefusedBy> listener : refusalListeners) {
            listener.accept(by);
        }
    }

    private AuthenticationFailedException fail(String why) {
        blockedUntil = Instant.now().plus(backoff);
        lastFailure = "OAuth2 login of account " + account + " failed: " + redact(why);
        LOG.error("{}. Next attempt in {} s.", lastFailure, backoff.toSeconds());
        return remember(new AuthenticationFailedException(lastFailure));
    }

    private AuthenticationFailedException remember(AuthenticationFailedException e) {
        refusedHere.set(e);
        return e;
    }

    private AuthenticationFailedException redacted(AuthenticationFailedException e) {
        String text = redact(e.getMessage());
        return text == null || text.equals(e.getMessage()) ? e : new AuthenticationFailedException(text);
    }

    /** The text without the account's secrets: its password, and the client secret and refresh token of its provider. */
    public String redact(String text) {
        List<String> secrets = new ArrayList<>(tokens == null ? List.of() : tokens.secrets());
        if (password != null) {
            secrets.add(password);
        }
        return Secrets.redact(text, secrets);
    }
}
