package io.mailbridge.imap;

/**
 * The endpoint's mapper failed on a message, so it cannot become what the route expects. The consumer
 * hands such a message over raw, with the reason in the {@code MailbridgeMappingError} header; the
 * inbound route raises this exception for it, and the error handler dead-letters it: the same bytes
 * fail the same way on every try.
 */
public class MessageMappingException extends Exception {

    public MessageMappingException(String reason) {
        super(reason);
    }
}
