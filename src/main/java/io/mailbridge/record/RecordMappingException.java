package io.mailbridge.record;

/**
 * The message could not become a record: the mapper or the JSON step failed on it. Like
 * {@link UnparseableMessageException}, it sends the raw message to the dead-letter endpoint;
 * retrying cannot help, since the same bytes fail the same way.
 */
public class RecordMappingException extends Exception {

    public RecordMappingException(Throwable cause) {
        super("could not make a record of the message: " + cause, cause);
    }

    public RecordMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
