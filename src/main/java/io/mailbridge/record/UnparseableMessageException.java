package io.mailbridge.record;

/** The bytes are not an RFC 5322 message at all; the route sends them to the dead-letter endpoint. */
public class UnparseableMessageException extends Exception {
    public UnparseableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
