package io.mailbridge.smtp;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.TimeUtils;

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
        String host = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int colon = host.lastIndexOf(':');
        if (colon > 0) {
            endpoint.setPort(Integer.parseInt(host.substring(colon + 1)));
            host = host.substring(0, colon);
        }
        endpoint.setHost(host);
        Object idle = parameters.get("idleTimeout");
        if (idle instanceof String text && !text.isBlank()) {
            parameters.put("idleTimeout", TimeUtils.toMilliSeconds(text)); // 10s, 1m: reflection binding wants a number
        }
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
