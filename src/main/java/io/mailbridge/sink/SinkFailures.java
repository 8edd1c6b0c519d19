package io.mailbridge.sink;

import java.util.List;
import java.util.Set;

import io.mailbridge.component.Causes;
import io.mailbridge.record.RecordMappingException;
import io.mailbridge.record.UnparseableMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.util.URISupport;

/**
 * Sorts what went wrong on the way from a message to the sink:
 * <ul>
 * <li>the message could not become a record: dead-letter its raw bytes (retrying gives the same result);</li>
 * <li>the sink refused this one record for good ({@link #PERMANENT_REFUSALS}): dead-letter the record with the
 * broker's reason;</li>
 * <li>anything else means the sink is unavailable (broker down, disk full, timeouts): wait and retry, without
 * limit, holding the checkpoint.</li>
 * </ul>
 */
public final class SinkFailures {

    /**
     * Exceptions by which a sink refuses one record while it is otherwise working. Matched by class
     * name anywhere in the cause chain, so no broker client needs to be on the class path.
     */
    public static final Set<String> PERMANENT_REFUSALS = Set.of(
            // Kafka: the record exceeds max.request.size or the broker's message.max.bytes
            "org.apache.kafka.common.errors.RecordTooLargeException",
            // Kafka: the broker rejected the record itself as invalid
            "org.apache.kafka.common.errors.InvalidRecordException",
            // mailbridge's rabbitmq: producer, for a message the broker returned as unroutable
            "io.mailbridge.rabbitmq.RabbitMqUnroutableException",
            // any sink's own way to refuse one record for good
            RecordRefusedException.class.getName());

    private static final int MAX_DESCRIPTION = 400;

    private SinkFailures() {
    }

    /** The message itself is bad: no record can be made of it. */
    public static boolean isMappingFailure(Throwable error) {
        return Causes.chain(error).stream().anyMatch(t -> t instanceof UnparseableMessageException || t instanceof RecordMappingException);
    }

    /** The sink refused this one record for good. */
    public static boolean isPermanentRefusal(Throwable error) {
        return Causes.chain(error).stream().anyMatch(t -> PERMANENT_REFUSALS.contains(t.getClass().getName()));
    }

    /** Neither of the above: the sink is unavailable and the record waits for it. */
    public static boolean isSinkUnavailable(Throwable error) {
        return error != null && !isMappingFailure(error) && !isPermanentRefusal(error);
    }

    /** For {@code onException(...).onWhen(...)}: the caught exception is a permanent refusal. */
    public static Predicate permanentRefusal() {
        return exchange -> isPermanentRefusal(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /**
     * The failure in words for a log line or an .error file: the outermost message and, when it
     * differs, the innermost one (usually the reason: "No space left on device", "Connection
     * refused"). Credentials in URIs are masked.
     */
    public static String describe(Throwable error) {
        if (error == null) {
            return "unknown failure";
        }
        List<Throwable> chain = Causes.chain(error);
        String outer = message(chain.get(0));
        String inner = message(chain.get(chain.size() - 1));
        String text = outer.contains(inner) ? outer : outer + ": " + inner;
        text = URISupport.sanitizeUri(text.replaceAll("\\s+", " ").trim());
        return text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) + "…" : text;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
