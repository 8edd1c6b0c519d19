package io.mailbridge.smtp;

import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;

import io.mailbridge.component.MailServerConfiguration;
import io.mailbridge.oauth2.MailLogin;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** SMTP submission with a reused connection. Options mirror the {@code mail.smtp.*} keys. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mailbridge-smtp", title = "mailbridge SMTP", syntax = "mailbridge-smtp:host:port",
        producerOnly = true, category = { Category.MAIL })
public class SmtpEndpoint extends DefaultEndpoint {

    @UriParam
    private final MailServerConfiguration configuration = new MailServerConfiguration(25, 465);
    @UriParam(description = "Trust any certificate and host name: test servers only")
    private boolean trustAll;
    @UriParam(defaultValue = "10000", javaType = "java.time.Duration",
            description = "Close the connection after this long without a message: 10000 (milliseconds), 10s")
    private long idleTimeout = 10000;
    @UriParam(defaultValue = "true", description = "Keep the connection open across messages")
    private boolean reuseConnection = true;

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
    public MailLogin login() {
        return configuration.login("smtp " + configuration.getUsername() + "@" + configuration.getHost());
    }

    /** Host, port, login, TLS, timeout and debug: the options shared with mailbridge-imap. */
    public MailServerConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The {@code host:port} path options. Camel's generated configurer leaves path options to the
     * endpoint, and binds them by these setters (the component passes the port on as a parameter).
     */
    public void setHost(String host) {
        configuration.setHost(host);
    }

    public void setPort(int port) {
        configuration.setPort(port);
    }

    public boolean isTrustAll() {
        return trustAll;
    }

    public void setTrustAll(boolean trustAll) {
        this.trustAll = trustAll;
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

    /** Connects a transport of {@link #createSession()}: with the login when a user name is set, else without AUTH. */
    public void connect(Transport transport) throws MessagingException {
        if (hasCredentials()) {
            configuration.connect(transport, login());
        } else {
            transport.connect(configuration.getHost(), configuration.effectivePort(), null, null);
        }
    }

    /** A user name is set: the connection logs in (SMTP AUTH); without one it sends unauthenticated. */
    public boolean hasCredentials() {
        return configuration.getUsername() != null && !configuration.getUsername().isBlank();
    }

    /**
     * A Jakarta Mail session for this server: TLS and timeouts of the configuration, AUTH when a user name is
     * set (LOGIN/PLAIN, or XOAUTH2 only), any certificate trusted with trustAll. The producer sends through it;
     * {@code --check} logs in through it.
     */
    public Session createSession() {
        String protocol = configuration.protocol("smtp");
        String p = "mail." + protocol + ".";
        Properties props = configuration.sessionProperties(protocol, configuration.getTimeout(), login());
        props.put(p + "host", configuration.getHost());
        props.put(p + "port", String.valueOf(configuration.effectivePort()));
        if (!configuration.isOAuth2()) { // else sessionProperties set XOAUTH2 as the only mechanism
            props.put(p + "auth", String.valueOf(hasCredentials()));
            props.put(p + "auth.mechanisms", "LOGIN PLAIN");
        }
        if (trustAll) {
            props.put(p + "ssl.checkserveridentity", "false");
            props.put(p + "ssl.trust", "*");
        }
        return Session.getInstance(props);
    }
}
