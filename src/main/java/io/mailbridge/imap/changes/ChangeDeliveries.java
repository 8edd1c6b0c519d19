package io.mailbridge.imap.changes;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** How change events reach the route: the consumer's side of the changes path. */
public interface ChangeDeliveries {

    /**
     * Hands the events over in order, one at a time, without blocking the caller (a change-sink outage must not hold
     * back new mail): {@code acknowledged} runs for each event the change sink acknowledged, in order, before the next
     * is handed over; {@code finished} runs once at the end, with how many were.
     */
    void deliver(List<ChangeEvent> events, Consumer<ChangeEvent> acknowledged, IntConsumer finished);

    /** Counts delivered events per folder and kind (metrics). */
    default void counted(String folder, ChangeEvent.Kind change, int events) {
    }
}
