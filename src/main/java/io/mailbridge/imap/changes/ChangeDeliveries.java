package io.mailbridge.imap.changes;

import java.util.List;
import java.util.function.IntConsumer;

/** How change events reach the route: the consumer's side of the changes path. */
public interface ChangeDeliveries {

    /**
     * Hands the events over in order, without blocking the caller (a change-sink outage must not hold back new
     * mail); {@code acknowledged} runs once, with how many of them, from the first, the change sink acknowledged.
     */
    void deliver(List<ChangeEvent> events, IntConsumer acknowledged);

    /** False once the route is stopping. */
    boolean isRunAllowed();

    /** Counts delivered events per folder and kind (metrics). */
    default void counted(String folder, ChangeEvent.Kind change, int events) {
    }
}
