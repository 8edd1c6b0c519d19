package io.mailbridge.config;

import java.util.List;

/** Startup refused: lists every bad key at once, each problem naming the key the user wrote. */
public class InvalidConfigurationException extends IllegalArgumentException {

    public InvalidConfigurationException(List<String> problems) {
        super("Invalid mailbridge configuration:\n  - " + String.join("\n  - ", problems));
    }
}
