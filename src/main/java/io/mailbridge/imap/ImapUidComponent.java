package io.mailbridge.imap;

import java.util.Map;

import io.mailbridge.component.EndpointOptions;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

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
        EndpointOptions.HostAndPort address = EndpointOptions.hostAndPort(remaining);
        endpoint.setHost(address.host());
        if (address.port() > 0) {
            endpoint.setPort(address.port());
        }
        EndpointOptions.durationsToMillis(parameters, "delay", "initialDelay", "loginBackoff");
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
