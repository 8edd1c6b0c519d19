package io.mailbridge.component;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure's cause chain, read the one way every log line and error file of mailbridge reads it:
 * outermost first, at most 20 deep (a chain may loop). Jakarta Mail's "next exception" is its cause.
 */
public final class Causes {

    private Causes() {
    }

    /** The failure and its causes, outermost first. */
    public static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 20 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The innermost exception of the chain. */
    public static Throwable root(Throwable failure) {
        List<Throwable> chain = chain(failure);
        return chain.get(chain.size() - 1);
    }

    /** The deepest message in the chain, or the innermost class name when none has one. */
    public static String rootMessage(Throwable failure) {
        String message = null;
        for (Throwable t : chain(failure)) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message != null ? message.trim() : root(failure).getClass().getSimpleName();
    }

    /** The first exception of the type in the chain, or null. */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t : chain(failure)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
