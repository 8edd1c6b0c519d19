package io.mailbridge.imap;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.TimeUtils;

/**
 * {@code mailbridge-imap:host?options}: an IMAP consumer that tracks progress by UID under
 * UIDVALIDITY, searches on the server, fetches in bulk with BODY.PEEK and emits one exchange per
 * message in ascending UID order. See {@link ImapUidEndpoint} for the options.
 */
@Component("mailbridge-imap")
public class ImapUidComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ImapUidEndpoint endpoint = new ImapUidEndpoint(uri, this);
        String host = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            endpoint.setPort(Integer.parseInt(host.substring(colon + 1)));
            host = host.substring(0, colon);
        }
        endpoint.setHost(host);
        // durations such as 5s or 1m: Camel's generated configurers accept them, reflection binding does not
        for (String option : new String[] { "delay", "initialDelay" }) {
            Object value = parameters.get(option);
            if (value instanceof String text && !text.isBlank()) {
                parameters.put(option, TimeUtils.toMilliSeconds(text));
            }
        }
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
