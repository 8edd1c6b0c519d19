package io.mailbridge.imap.sync;

import io.mailbridge.imap.protocol.FetchedMessage;

import org.apache.camel.Exchange;

/** How a folder sync hands messages to the route: the consumer's side of the sync. */
public interface Deliveries {

    /** A new exchange carrying the fetched message and its IMAP headers. */
    Exchange exchangeFor(String folder, long uidValidity, FetchedMessage message);

    /**
     * Hands the exchange to the route; {@code done} runs once, with true when the route completed it
     * (the sink confirmed, or the dead-letter endpoint took it), from whichever thread completed it.
     *
     * @param mappingFailure why the message could not become a record, or null
     */
    void deliver(Exchange exchange, Exception mappingFailure, DeliveryDone done);

    /** Gives back an exchange that was never delivered. */
    void release(Exchange exchange);

    /** False once the route is stopping: a sync then ends after the deliveries in flight. */
    boolean isRunAllowed();

    /** New mail arrived in the folder since its previous sync (its highest UID moved). */
    default void newMailFound(String folder) {
    }

    /** Messages above the checkpoint that match the search and are not delivered yet, as this sync sees them. */
    default void backlog(String folder, long messages) {
    }

    /** Completion of one delivery. */
    @FunctionalInterface
    public interface DeliveryDone {
        void done(boolean completed);
    }
}
