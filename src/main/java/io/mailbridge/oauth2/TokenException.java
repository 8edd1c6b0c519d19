package io.mailbridge.oauth2;

/** No token could be obtained; the message carries the provider's answer and never a secret. */
public class TokenException extends Exception {

    private final boolean refusal;

    public TokenException(String message) {
        this(message, false);
    }

    /** @param refusal true when the token source answered and said no (an HTTP error, a command's failure exit) */
    public TokenException(String message, boolean refusal) {
        super(message);
        this.refusal = refusal;
    }

    public TokenException(String message, Throwable cause) {
        super(message, cause);
        this.refusal = false;
    }

    /**
     * True when the token source refused (counted as {@code refused_by="token-endpoint"}), false when it
     * could not be asked (unreachable, a file that cannot be read).
     */
    public boolean isRefusal() {
        return refusal;
    }
}
