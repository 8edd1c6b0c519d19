package io.mailbridge.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A queue sink that would let the checkpoint move before the broker holds the record stops startup, naming the key. */
class SinkGuaranteesTest {

    @TempDir
    Path data;

    private String startupError(Map<String, String> overrides) {
        return RunningMailbridge.startupError(data, overrides);
    }

    @Test
    void kafkaWithoutAcksAllOrIdempotenceIsRefused() {
        String error = startupError(Map.of("mail.sink.uri",
                "kafka:records?brokers=127.0.0.1:9&requestRequiredAcks=1&enableIdempotence=false"));
        assertTrue(error.contains("mail.sink.uri: requestRequiredAcks=1"), error);
        assertTrue(error.contains("mail.sink.uri: enableIdempotence=false"), error);
    }

    @Test
    void aComponentSettingIsNamedByItsKey() {
        String error = startupError(Map.of("mail.sink.uri", "kafka:records?brokers=127.0.0.1:9",
                "camel.component.kafka.request-required-acks", "0"));
        assertTrue(error.contains("camel.component.kafka.request-required-acks: requestRequiredAcks=0"), error);
    }

    @Test
    void nonPersistentJmsIsRefused() {
        String error = startupError(Map.of("mail.outbox.failed-uri", "jms:queue:failed?deliveryPersistent=false"));
        assertTrue(error.contains("mail.outbox.failed-uri: deliveryPersistent=false"), error);
    }
}
