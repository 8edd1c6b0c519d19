package io.mailbridge.component;

import java.util.Map;

import org.apache.camel.util.TimeUtils;

/** What the mailbridge components read from an endpoint URI the same way. */
public final class EndpointOptions {

    /** {@code host} or {@code host:port} from the URI remainder; port 0 when absent. */
    public record HostAndPort(String host, int port) {
    }

    private EndpointOptions() {
    }

    public static HostAndPort hostAndPort(String remaining) {
        String host = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            return new HostAndPort(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)));
        }
        return new HostAndPort(host, 0);
    }

    /**
     * Turns durations such as {@code 5s} or {@code 1m} into milliseconds: Camel's generated configurers
     * accept them, the reflection binding our components use does not.
     */
    public static void durationsToMillis(Map<String, Object> parameters, String... options) {
        for (String option : options) {
            if (parameters.get(option) instanceof String text && !text.isBlank()) {
                parameters.put(option, TimeUtils.toMilliSeconds(text));
            }
        }
    }
}
