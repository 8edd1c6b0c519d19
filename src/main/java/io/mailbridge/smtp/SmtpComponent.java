package io.mailbridge.smtp;

import java.util.Map;

import io.mailbridge.component.EndpointOptions;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code mailbridge-smtp:host:port?options}: sends the {@code jakarta.mail.internet.MimeMessage} in
 * the body over one SMTP connection kept open across a burst of exchanges, and reports the server's
 * reply in the {@code MailbridgeSmtpReply} header.
 */
@Component("mailbridge-smtp")
public class SmtpComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SmtpEndpoint endpoint = new SmtpEndpoint(uri, this);
        endpoint.setHost(EndpointOptions.hostAndPort(remaining, parameters));
        setProperties(endpoint, parameters);
        endpoint.getConfiguration().validate("mailbridge-smtp");
        return endpoint;
    }
}
