package io.mailbridge.sink;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.Health;

/**
 * Polls readiness during an outage test: when the {@code sink} check was first seen DOWN (with its
 * message) and when readiness was first UP again after that.
 */
final class ReadinessWatch {

    private final int managementPort;
    private long firstDown;
    private long upAgain;
    private String downMessage;

    ReadinessWatch(int managementPort) {
        this.managementPort = managementPort;
    }

    /** One poll; true once readiness has been DOWN (sink) and UP again. */
    boolean poll() {
        try {
            HttpResponse<String> r = Health.readiness(managementPort);
            if (firstDown == 0 && r.statusCode() == 503) {
                JsonNode sink = Health.check(r, "sink");
                if ("DOWN".equals(sink.get("status").asText())) {
                    firstDown = System.nanoTime();
                    downMessage = sink.get("message").asText();
                }
            } else if (firstDown != 0 && upAgain == 0 && r.statusCode() == 200 && "UP".equals(Health.status(r))) {
                upAgain = System.nanoTime();
            }
        } catch (Exception | AssertionError e) {
            // not answering yet, or no sink check listed: poll again
        }
        return recovered();
    }

    boolean sawDown() {
        return firstDown != 0;
    }

    boolean recovered() {
        return firstDown != 0 && upAgain != 0;
    }

    String downMessage() {
        return downMessage;
    }

    double downSeconds() {
        return (upAgain - firstDown) / 1e9;
    }
}
