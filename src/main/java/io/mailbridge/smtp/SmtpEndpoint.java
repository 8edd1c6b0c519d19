package io.mailbridge.smtp;

import io.mailbridge.component.EndpointOptions;
import io.mailbridge.oauth2.MailLogin;
import io.mailbridge.oauth2.TokenProvider;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** SMTP submission with a reused connection. Options mirror the {@code mail.smtp.*} keys. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mailbridge-smtp", title = "mailbridge SMTP", syntax = "mailbridge-smtp:host:port",
        producerOnly = true, category = { Category.MAIL })
public class SmtpEndpoint extends DefaultEndpoint {

    @UriPath(description = "SMTP server host name")
    @Metadata(required = true)
    private String host;
    @UriPath(description = "Port; 0 means 25, or 465 with ssl")
    private int port;
    @UriParam(description = "AUTH user; empty means no AUTH")
    private String username;
    @UriParam(secret = true, description = "AUTH password")
    private String password;
    @UriParam(description = "Implicit TLS (smtps)")
    private boolean ssl;
    @UriParam(description = "STARTTLS, required when true")
    private boolean starttls;
    @UriParam(description = "Trust any certificate and host name: test servers only")
    private boolean trustAll;
    @UriParam(defaultValue = "30000", description = "Connect/read timeout in milliseconds")
    private int timeout = 30000;
    @UriParam(defaultValue = "10000", javaType = "java.time.Duration",
            description = "Close the connection after this long without a message: 10000 (milliseconds), 10s")
    private long idleTimeout = 10000;
    @UriParam(defaultValue = "true", description = "Keep the connection open across messages")
    private boolean reuseConnection = true;
    @UriParam(description = "Log the SMTP protocol (AUTH is not logged)")
    private boolean debug;
    @UriParam(defaultValue = "password", enums = "password,oauth2", description = "AUTH with the password, or XOAUTH2 with a token from tokenProvider")
    private String auth = "password";
    @UriParam(description = "Where XOAUTH2 tokens come from (auth=oauth2); asked on every connect")
    private TokenProvider tokenProvider;
    @UriParam(defaultValue = "300000", javaType = "java.time.Duration",
            description = "After an OAuth2 login failed twice, the wait before the next attempt")
    private long loginBackoff = 300_000;
    private MailLogin login;

    public SmtpEndpoint(String uri, SmtpComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        return new SmtpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mailbridge-smtp only sends");
    }

    /** Password or XOAUTH2 login; one per endpoint, so its back-off spans reconnects. */
    public synchronized MailLogin login() {
        if (login == null) {
            if ("oauth2".equals(auth) && tokenProvider == null) {
                throw new IllegalArgumentException("mailbridge-smtp: auth=oauth2 needs a tokenProvider");
            }
            login = new MailLogin("oauth2".equals(auth) ? tokenProvider : null, "smtp " + username + "@" + host,
                    java.time.Duration.ofMillis(loginBackoff));
        }
        return login;
    }

    public String getAuth() {
        return auth;
    }

    public void setAuth(String auth) {
        if (!"password".equals(auth) && !"oauth2".equals(auth)) {
            throw new IllegalArgumentException("mailbridge-smtp: auth must be password or oauth2, not '" + auth + "'");
        }
        this.auth = auth;
    }

    public TokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(TokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public long getLoginBackoff() {
        return loginBackoff;
    }

    public void setLoginBackoff(long loginBackoff) {
        this.loginBackoff = loginBackoff;
    }

    public int effectivePort() {
        return port > 0 ? port : (ssl ? 465 : 25);
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

    public boolean isTrustAll() {
        return trustAll;
    }

    public void setTrustAll(boolean trustAll) {
        this.trustAll = trustAll;
    }

    public int getTimeout() {
        return timeout;
    }

    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public boolean isReuseConnection() {
        return reuseConnection;
    }

    public void setReuseConnection(boolean reuseConnection) {
        this.reuseConnection = reuseConnection;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }
}
