package io.mailbridge.component;

import java.util.Map;

/** What the mailbridge components read from an endpoint URI the same way. */
public final class EndpointOptions {

    private EndpointOptions() {
    }

    /**
     * Splits the {@code host:port} path of an endpoint URI: returns the host and puts the port text, if
     * any, among the parameters, so Camel's generated configurer converts it like any other option
     * (a bad port is then reported as the {@code port} option).
     */
    public static String hostAndPort(String remaining, Map<String, Object> parameters) {
        String host = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            parameters.putIfAbsent("port", host.substring(colon + 1));
            return host.substring(0, colon);
        }
        return host;
    }

    /** A port option's value: 0 (the protocol's default) to 65535, else an error that names the value. */
    public static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + port + "': not a port number (1-65535)");
        }
        return port;
    }
}
