package io.mailbridge.oauth2;

/** No token could be obtained; the message carries the provider's answer and never a secret. */
public class TokenException extends Exception {

    public TokenException(String message) {
        super(message);
    }

    public TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
