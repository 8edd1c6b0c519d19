package io.mailbridge.record;

import org.apache.camel.Processor;

/**
 * The message could not become a record: the mapper or the JSON step failed on it. Like
 * {@link UnparseableMessageException}, it sends the raw message to the dead-letter endpoint;
 * retrying cannot help, since the same bytes fail the same way.
 */
public class RecordMappingException extends Exception {

    public RecordMappingException(Throwable cause) {
        super("could not make a record of the message: " + cause, cause);
    }

    /**
     * The route step {@code step}, with whatever it throws reported as a mapping failure, so that
     * only failures after the record exists (the sink's) count as the sink's.
     */
    public static Processor guard(Processor step) {
        return exchange -> {
            try {
                step.process(exchange);
            } catch (UnparseableMessageException | RecordMappingException e) {
                throw e;
            } catch (Exception e) {
                throw new RecordMappingException(e);
            }
        };
    }
}
