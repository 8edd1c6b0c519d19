package io.mailbridge.sink;

import java.util.Collection;
import java.util.Locale;

import io.mailbridge.component.MailbridgeHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The route step just before {@code to: {{sinkUri}}}: puts the record key where the sink's
 * consumers look for it, and makes every {@code Mailbridge*} header a plain string, because Kafka
 * and JMS drop list-valued headers and Kafka would send numbers as binary. It also names the sink
 * in the exchange property {@link SinkStatus#SINK}, so an outage is told of the right sink.
 *
 * <ul>
 * <li>file (and every sink): the file name {@code <key>.json};</li>
 * <li>kafka: the Kafka message key;</li>
 * <li>rabbitmq: the AMQP {@code message_id};</li>
 * <li>jms (and other JMS components): {@code JMSCorrelationID}, plus Artemis' duplicate-detection
 * property {@code _AMQ_DUPL_ID}, so the broker drops a re-send of the same record.</li>
 * </ul>
 * Consumers get {@code MailbridgeKey}, {@code MailbridgeAccount}, {@code MailbridgeFolder},
 * {@code MailbridgeUidValidity}, {@code MailbridgeUid} and {@code MailbridgeFlags} (one
 * comma-separated string, e.g. {@code \Seen,\Flagged}) as message headers/properties.
 */
public class SinkHeaders implements Processor {

    /** Artemis' duplicate-detection property (org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID). */
    public static final String ARTEMIS_DUPLICATE_ID = "_AMQ_DUPL_ID";

    enum Kind { KAFKA, RABBITMQ, JMS, OTHER }

    private final Kind kind;
    private final String maskedSinkUri;

    public SinkHeaders(String sinkUri) {
        this.kind = kindOf(sinkUri);
        this.maskedSinkUri = SinkStatus.masked(sinkUri);
    }

    static Kind kindOf(String uri) {
        return switch (scheme(uri)) {
            case "kafka" -> Kind.KAFKA;
            case "rabbitmq" -> Kind.RABBITMQ;
            case "jms", "activemq", "artemis", "sjms", "sjms2" -> Kind.JMS;
            default -> Kind.OTHER;
        };
    }

    /** The component name an endpoint URI starts with, lower case ("" without one). */
    static String scheme(String uri) {
        return uri.contains(":") ? uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT) : "";
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String key = in.getHeader(MailbridgeHeaders.KEY, String.class);
        // a change event shares its record's key (Kafka partition, JMSCorrelationID) but is a message of its own:
        // its own file name, AMQP message_id and duplicate id, so no event overwrites or is taken for another or the record
        String id = in.getHeader(MailbridgeHeaders.CHANGE_ID, key, String.class);
        flattenMailbridgeHeaders(in);
        exchange.setProperty(SinkStatus.SINK, maskedSinkUri); // whose outage a failure is (SinkStatus)
        in.setHeader(Exchange.FILE_NAME, id + ".json"); // a directory sink: one file per record or event, named by its id
        switch (kind) {
            case KAFKA -> in.setHeader("kafka.KEY", key);
            case RABBITMQ -> in.setHeader("rabbitmq.MESSAGE_ID", id); // the rabbitmq: component's message_id header
            case JMS -> {
                in.setHeader("JMSCorrelationID", key);
                in.setHeader(ARTEMIS_DUPLICATE_ID, id);
            }
            default -> {
                // another component: the Mailbridge* headers are all it gets
            }
        }
    }

    private static void flattenMailbridgeHeaders(Message in) {
        in.getHeaders().replaceAll((name, value) -> {
            if (!name.startsWith("Mailbridge") || value == null) {
                return value;
            }
            if (value instanceof Collection<?> list) {
                return String.join(",", list.stream().map(String::valueOf).toList());
            }
            return value.toString();
        });
    }
}
