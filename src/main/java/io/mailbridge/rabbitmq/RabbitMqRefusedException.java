package io.mailbridge.rabbitmq;

import io.mailbridge.component.Causes;

/** The broker did not take a message: nack, unroutable ({@code basic.return}), or the channel/connection failed. */
public class RabbitMqRefusedException extends Exception {

    private final boolean unroutable;

    public RabbitMqRefusedException(String message, Throwable cause) {
        super(message, cause);
        this.unroutable = false;
    }

    RabbitMqRefusedException(String message, boolean unroutable) {
        super(message);
        this.unroutable = unroutable;
    }

    /** True when the broker returned the message because no queue was bound for it: retrying the same cannot help. */
    public boolean isUnroutable() {
        return unroutable;
    }

    /** The innermost message, e.g. "Connection refused", for one-line logs. */
    static String describe(Throwable e) {
        Throwable t = Causes.root(e);
        String text = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return e == t ? text : e.getClass().getSimpleName() + ": " + text;
    }
}
