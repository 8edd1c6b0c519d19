package io.mailbridge.component;

import java.time.Duration;
import java.util.Properties;

import io.mailbridge.oauth2.MailLogin;
import io.mailbridge.oauth2.TokenProvider;
import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * The mail server options the IMAP and SMTP endpoints share: where the server is, how to log in,
 * TLS, timeouts. Declared once here, as camel-mail's {@code MailConfiguration} does; each endpoint
 * holds one ({@code getConfiguration()}) and the generated configurers bind into it.
 */
@UriParams
public class MailServerConfiguration {

    private final int plainPort;
    private final int sslPort;

    @UriPath(description = "Server host name")
    @Metadata(required = true)
    private String host;
    @UriPath(description = "Port; 0 means the protocol's own: IMAP 143 (993 with ssl), SMTP 25 (465 with ssl)")
    private int port;
    @UriParam(description = "Login user name; for SMTP, empty means no AUTH")
    private String username;
    @UriParam(secret = true, description = "Login password")
    private String password;
    @UriParam(defaultValue = "false", description = "Connect with implicit TLS (imaps, smtps)")
    private boolean ssl;
    @UriParam(defaultValue = "false", description = "Upgrade a plain connection with STARTTLS (required when true)")
    private boolean starttls;
    @UriParam(defaultValue = "30000", description = "Connect and read timeout in milliseconds")
    private int timeout = 30000;
    @UriParam(defaultValue = "false", description = "Log the protocol (Angus Mail does not log credentials)")
    private boolean debug;
    @UriParam(defaultValue = "password", enums = "password,oauth2",
            description = "Log in with the password, or with XOAUTH2 and a token from tokenProvider")
    private String auth = "password";
    @UriParam(description = "Where XOAUTH2 tokens come from (auth=oauth2); asked on every connect")
    private TokenProvider tokenProvider;
    @UriParam(defaultValue = "5m", javaType = "java.time.Duration",
            description = "After an OAuth2 login failed twice, the wait before the next attempt (mail.oauth2.login-backoff)")
    private Duration loginBackoff = Duration.ofMinutes(5);
    private MailLogin login;

    /** @param plainPort the protocol's port without TLS; @param sslPort with implicit TLS */
    public MailServerConfiguration(int plainPort, int sslPort) {
        this.plainPort = plainPort;
        this.sslPort = sslPort;
    }

    /** Fails fast on what no single option's setter can check. */
    public void validate(String scheme) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(scheme + ": host is required");
        }
        if (isOAuth2() && tokenProvider == null) {
            throw new IllegalArgumentException(scheme + ": auth=oauth2 needs a tokenProvider");
        }
    }

    /** The port to connect to: the option, else the protocol's own. */
    public int effectivePort() {
        return port > 0 ? port : (ssl ? sslPort : plainPort);
    }

    /** {@code host:port} as logs and health show it. */
    public String address() {
        return host + ":" + effectivePort();
    }

    /**
     * The login (password or XOAUTH2) every connection of the endpoint uses; one per endpoint, so
     * its back-off spans reconnects. {@code who} names the login in its log lines.
     */
    public synchronized MailLogin login(String who) {
        if (login == null) {
            login = new MailLogin(isOAuth2() ? tokenProvider : null, who, loginBackoff);
        }
        return login;
    }

    /** Forgets the login, for a copy of this configuration that must have its own. */
    protected void resetLogin() {
        login = null;
    }

    /** {@code imap}/{@code imaps} or {@code smtp}/{@code smtps}: the Jakarta Mail protocol name for {@code ssl}. */
    public String protocol(String plain) {
        return ssl ? plain + "s" : plain;
    }

    /**
     * A Jakarta Mail session's properties for this server: connect/read/write timeouts, STARTTLS
     * required when asked for, the server's identity checked whenever TLS is used, and the XOAUTH2
     * mechanism when {@code auth=oauth2}.
     */
    public Properties sessionProperties(String protocol, int readTimeout, MailLogin login) {
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        WriteTimeouts.configure(props, protocol, timeout, readTimeout, timeout);
        if (starttls) {
            props.put(prefix + "starttls.enable", "true");
            props.put(prefix + "starttls.required", "true");
        }
        if (ssl || starttls) {
            props.put(prefix + "ssl.checkserveridentity", "true");
        }
        login.configure(props, protocol);
        return props;
    }

    /** Connects a store or transport to this server with {@code login} (password, or a token). */
    public void connect(Service service, MailLogin login) throws MessagingException {
        login.connect(service, host, effectivePort(), username, password);
    }

    public boolean isOAuth2() {
        return "oauth2".equals(auth);
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = EndpointOptions.checkPort(port);
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isSsl() {
        return ssl;
    }

    public void setSsl(boolean ssl) {
        this.ssl = ssl;
    }

    public boolean isStarttls() {
        return starttls;
    }

    public void setStarttls(boolean starttls) {
        this.starttls = starttls;
    }

    public int getTimeout() {
        return timeout;
    }

    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public String getAuth() {
        return auth;
    }

    public void setAuth(String auth) {
        if (!"password".equals(auth) && !"oauth2".equals(auth)) {
            throw new IllegalArgumentException("'" + auth + "': auth must be password or oauth2");
        }
        this.auth = auth;
    }

    public TokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(TokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public Duration getLoginBackoff() {
        return loginBackoff;
    }

    public void setLoginBackoff(Duration loginBackoff) {
        this.loginBackoff = loginBackoff;
    }
}
