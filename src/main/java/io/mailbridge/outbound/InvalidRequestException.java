package io.mailbridge.outbound;

/** An outbound request that must not be sent; the message is the reason written to the .error file. */
public class InvalidRequestException extends Exception {
    public InvalidRequestException(String reason) {
        super(reason);
    }
}
