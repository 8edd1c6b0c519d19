package io.mailbridge.app;

import java.util.Map;
import java.util.concurrent.Callable;

import io.mailbridge.component.MailServerConfiguration;
import io.mailbridge.config.UriOptions;
import io.mailbridge.oauth2.TokenProvider;
import io.mailbridge.smtp.SmtpEndpoint;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;

/**
 * Connects and logs in to the SMTP server of {@code mail.smtp.*} the way the outbound route's producer
 * does (TLS, trust-all, password or XOAUTH2), sends nothing, and disconnects:
 * {@code smtp=<host:port> user=<name|none> result=ok}.
 */
final class SmtpProbe implements Callable<CheckFindings> {

    private final CamelContext context;
    private final int timeoutMillis;

    SmtpProbe(CamelContext context, int timeoutMillis) {
        this.context = context;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public CheckFindings call() throws Exception {
        SmtpEndpoint endpoint = endpoint();
        MailServerConfiguration server = endpoint.getConfiguration();
        String what = "smtp=" + server.address();
        boolean login = endpoint.hasCredentials();
        CheckFindings findings = new CheckFindings();
        try {
            Transport transport = endpoint.createSession().getTransport(server.protocol("smtp"));
            endpoint.connect(transport);
            transport.close();
            findings.line(what + " user=" + (login ? server.getUsername() : "none") + " result=ok");
        } catch (AuthenticationFailedException e) {
            findings.failed(what, "login refused as " + server.getUsername() + " (" + ProbeErrors.oneLine(e.getMessage()) + ")");
        } catch (MessagingException e) {
            findings.failed(what, "no answer (" + ProbeErrors.reason(e) + ")");
        }
        return findings;
    }

    /** An endpoint with every mail.smtp.* option bound, as the startup check binds them (already checked there). */
    private SmtpEndpoint endpoint() throws Exception {
        Component component = context.getComponent(ConfigurationCheck.SMTP_SCHEME);
        SmtpEndpoint endpoint = (SmtpEndpoint) component.createEndpoint(ConfigurationCheck.SMTP_SCHEME + ":localhost");
        for (Map.Entry<String, UriOptions.Option> e : ConfigurationCheck.smtpOptions().entrySet()) {
            String key = "mail.smtp." + e.getKey();
            String value = context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
            if (!value.isEmpty()) {
                UriOptions.bind(context, endpoint, component.getEndpointPropertyConfigurer(), e.getValue(), key, value);
            }
        }
        MailServerConfiguration server = endpoint.getConfiguration();
        if (server.isOAuth2()) {
            server.setTokenProvider(context.getRegistry().lookupByNameAndType("smtpTokenProvider", TokenProvider.class));
        }
        server.setTimeout(server.getTimeout() <= 0 ? timeoutMillis : Math.min(server.getTimeout(), timeoutMillis));
        return endpoint;
    }

}
