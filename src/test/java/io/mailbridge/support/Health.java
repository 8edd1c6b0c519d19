package io.mailbridge.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * mailbridge's health as a load balancer sees it: the management port's {@code /observe/health/ready}
 * (start mailbridge with {@code camel.management.enabled=true} and {@code camel.management.port}).
 */
public final class Health {

    private Health() {
    }

    public static HttpResponse<String> readiness(int managementPort) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Overall status of a health response: UP or DOWN. */
    public static String status(HttpResponse<String> response) throws IOException {
        return new ObjectMapper().readTree(response.body()).get("status").asText();
    }

    /** One named check of a health response (DOWN checks are always listed), e.g. "sink". */
    public static JsonNode check(HttpResponse<String> response, String name) throws IOException {
        JsonNode checks = new ObjectMapper().readTree(response.body()).get("checks");
        if (checks != null) {
            for (JsonNode c : checks) {
                if (name.equals(c.get("name").asText())) {
                    return c;
                }
            }
        }
        throw new AssertionError("no check " + name + " in " + response.body());
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
