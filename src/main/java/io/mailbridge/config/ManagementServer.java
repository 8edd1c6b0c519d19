package io.mailbridge.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Camel's management HTTP server (health and metrics) as configured by {@code camel.management.*}: where it
 * answers, and whether its port is free before Camel tries to bind it (Camel only logs a WARN when it
 * cannot, and the process goes on without health or metrics of its own).
 */
public record ManagementServer(String host, int port) {

    /** The configured server, or empty when {@code camel.management.enabled} is not true or the port is not a number. */
    public static Optional<ManagementServer> of(PropertiesComponent pc) {
        if (!Boolean.parseBoolean(pc.resolveProperty("camel.management.enabled").orElse("false").trim())) {
            return Optional.empty();
        }
        String host = pc.resolveProperty("camel.management.host").orElse("0.0.0.0").trim();
        try {
            return Optional.of(new ManagementServer(host, Integer.parseInt(pc.resolveProperty("camel.management.port").orElse("9876").trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code http://host:port}, an IPv6 host in brackets. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Fails startup, naming the key, when another process (often another replica on this host) listens on the port. */
    public void requireFreePort() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new InvalidConfigurationException(List.of("camel.management.port = " + port + ": " + host + ":" + port
                    + " is already in use by another process (another replica on this host?). Give each replica its own"
                    + " port: camel.management.port in its own application.properties, or CAMEL_MANAGEMENT_PORT=<port>"
                    + " in its environment"));
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of("camel.management.host = " + host + ", camel.management.port = "
                    + port + ": cannot listen there (" + e.getMessage() + ")"));
        }
    }
}
