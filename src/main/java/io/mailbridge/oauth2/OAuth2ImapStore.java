package io.mailbridge.oauth2;

import java.io.IOException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * An Angus IMAP store whose every XOAUTH2 login takes its token from the {@link MailLogin}: the
 * first one ({@code Store.connect}) and each one Angus makes by itself later, when it opens a new
 * connection for a folder or a store command (after a reconnect it would otherwise log in with the
 * token it kept from the first login). Built on the hook Angus documents for this,
 * {@link IMAPStore#newIMAPProtocol}: the connection it returns answers Angus' XOAUTH2 step with the
 * provider's token, a replacement after a refusal, and the login's back-off.
 */
public final class OAuth2ImapStore extends IMAPStore {

    private final MailLogin login;

    /** @param protocol {@code imap} or {@code imaps} */
    OAuth2ImapStore(Session session, String protocol, MailLogin login) {
        super(session, new URLName(protocol, null, -1, null, null, null), protocol, "imaps".equals(protocol));
        this.login = login;
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        try {
            login.checkNotPaused(); // no connection while the login backs off
        } catch (AuthenticationFailedException paused) {
            throw new ProtocolException(paused.getMessage());
        }
        return new TokenLoginProtocol(name, host, port, session, isSSL, logger, login);
    }

    /** A connection whose XOAUTH2 login ignores the password the store kept and asks the login for a token. */
    private static final class TokenLoginProtocol extends IMAPProtocol {

        private final MailLogin login;

        TokenLoginProtocol(String name, String host, int port, Session session, boolean isSSL,
                org.eclipse.angus.mail.util.MailLogger logger, MailLogin login) throws IOException, ProtocolException {
            super(name, host, port, session.getProperties(), isSSL, logger);
            this.login = login;
        }

        @Override
        public synchronized void authoauth2(String user, String keptPassword) throws ProtocolException {
            try {
                login.login(token -> withToken(user, token));
            } catch (AuthenticationFailedException refused) {
                // Store.connect makes this an AuthenticationFailedException with the same words; a folder's
                // connection reports "connection failure", which MailLogin.loggingIn turns back into this
                throw new CommandFailedException(refused.getMessage());
            }
        }

        /** @return null when logged in, else the server's refusal */
        private String withToken(String user, String token) throws ProtocolException {
            try {
                super.authoauth2(user, token);
                return null;
            } catch (CommandFailedException refused) {
                Response r = refused.getResponse();
                String text = r != null ? r.getRest() : refused.getMessage();
                return text == null ? "" : text;
            }
        }
    }
}
