package io.mailbridge.sink;

import io.mailbridge.component.DoublingDelay;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;

import io.mailbridge.record.RecordMappingException;
import io.mailbridge.record.UnparseableMessageException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;

class SinkFailuresTest {

    @Test
    void onlyBadMessagesAndPermanentRefusalsAreNotOutages() {
        assertTrue(SinkFailures.isMappingFailure(new UnparseableMessageException("not an RFC 5322 message", null)));
        assertTrue(SinkFailures.isMappingFailure(new RecordMappingException(new IllegalStateException("boom"))));
        assertTrue(SinkFailures.isPermanentRefusal(new RuntimeException("send failed", new RecordRefusedException("unroutable"))));

        assertTrue(SinkFailures.isSinkUnavailable(new GenericFileOperationFailedException("Cannot store file: x",
                new IOException("No space left on device"))));
        assertTrue(SinkFailures.isSinkUnavailable(new ConnectException("Connection refused")));
        assertTrue(SinkFailures.isSinkUnavailable(new IllegalStateException("anything else")));
        assertFalse(SinkFailures.isSinkUnavailable(new RecordRefusedException("too large")));
        assertFalse(SinkFailures.isSinkUnavailable(null));
    }

    @Test
    void kafkaRefusalsAreKnownByNameWithoutKafkaOnTheClassPath() {
        assertTrue(SinkFailures.PERMANENT_REFUSALS.contains("org.apache.kafka.common.errors.RecordTooLargeException"));
    }

    @Test
    void theCauseInWordsNamesTheReasonAndMasksPasswords() {
        assertEquals("Cannot store file: /data/inbox/.writing-7.json: No space left on device",
                SinkFailures.describe(new GenericFileOperationFailedException("Cannot store file: /data/inbox/.writing-7.json",
                        new IOException("No space left on device"))));
        String text = SinkFailures.describe(new IllegalStateException(
                "Failed to connect to spring-rabbitmq:mail?password=hunter2&username=bob"));
        assertFalse(text.contains("hunter2"), text);
    }

    @Test
    void backOffDoublesUpToTheMaximum() {
        DoublingDelay b = new DoublingDelay(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertEquals(100, b.after(1).toMillis());
        assertEquals(200, b.after(2).toMillis());
        assertEquals(800, b.after(4).toMillis());
        assertEquals(1000, b.after(5).toMillis());
        assertEquals(1000, b.after(1_000_000).toMillis());
    }
}
