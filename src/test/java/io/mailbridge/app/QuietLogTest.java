package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/**
 * WARN means act: the shipped log configuration (src/main/resources/log4j2.properties) drops the two library
 * WARNs of normal operation, by their text, and lets the other WARNs of the same loggers through.
 */
class QuietLogTest {

    @Test
    void theLockGrantWarnOfCamelsMasterConsumerIsDropped() {
        String logger = "org.apache.camel.support.task.BackgroundTask";
        assertEquals(Filter.Result.DENY, filter(logger, "The task Leadership does not have more budget to continue running"));
        assertEquals(Filter.Result.NEUTRAL, filter(logger, "The task Reconnect does not have more budget to continue running"));
    }

    @Test
    void kafkasFirstStartMetadataWarnIsDroppedButABrokerDownIsNot() {
        String logger = "org.apache.kafka.clients.NetworkClient";
        // the text of the kafka-clients on the class path (seen in KafkaSinkTest's log), and of older clients
        assertEquals(Filter.Result.DENY, filter(logger, "[Producer clientId=producer-1] The metadata response from the cluster"
                + " reported a recoverable issue with correlation id 2 : {mailbridge-records=UNKNOWN_TOPIC_OR_PARTITION}"));
        assertEquals(Filter.Result.DENY, filter(logger, "[Producer clientId=producer-1] Error while fetching metadata with"
                + " correlation id 4 : {mailbridge-records=UNKNOWN_TOPIC_OR_PARTITION}"));
        assertEquals(Filter.Result.DENY, filter(logger, "[Producer clientId=producer-1] Error while fetching metadata with"
                + " correlation id 7 : {mailbridge-records=LEADER_NOT_AVAILABLE}"));
        assertEquals(Filter.Result.NEUTRAL, filter(logger, "[Producer clientId=producer-1] Error while fetching metadata with"
                + " correlation id 9 : {mailbridge-records=TOPIC_AUTHORIZATION_FAILED}"));
        assertEquals(Filter.Result.DENY, filter(logger, "[Producer clientId=producer-1] Error while fetching metadata with"
                + " correlation id 8 : {a=LEADER_NOT_AVAILABLE, b=UNKNOWN_TOPIC_OR_PARTITION}"));
        assertEquals(Filter.Result.NEUTRAL, filter(logger, "[Producer clientId=producer-1] Error while fetching metadata with"
                + " correlation id 9 : {a=TOPIC_AUTHORIZATION_FAILED, b=UNKNOWN_TOPIC_OR_PARTITION}"), "a real problem beside it stays");
        assertEquals(Filter.Result.NEUTRAL, filter(logger, "[Producer clientId=producer-1] Connection to node -1"
                + " (localhost/127.0.0.1:9092) could not be established. Node may not be available."));
    }

    private static Filter.Result filter(String loggerName, String message) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig config = context.getConfiguration().getLoggerConfig(loggerName);
        assertEquals(loggerName, config.getName(), "the shipped configuration has a logger for " + loggerName);
        Filter filter = config.getFilter();
        return filter == null ? Filter.Result.NEUTRAL : filter.filter(Log4jLogEvent.newBuilder().setLoggerName(loggerName)
                .setLevel(Level.WARN).setMessage(new SimpleMessage(message)).build());
    }
}
