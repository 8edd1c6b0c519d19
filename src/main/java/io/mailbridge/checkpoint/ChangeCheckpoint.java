package io.mailbridge.checkpoint;

/**
 * What a folder's change events have reached (mail.imap.changes): the messages delivered as records with the flags
 * last reported for them, and the folder's highest MODSEQ handled. Saved only after the change sink acknowledged
 * the events it covers, like {@link Checkpoint}.
 *
 * @param highestModSeq the CONDSTORE modification sequence handled so far; null on a server without CONDSTORE, or
 *                      before the first changes sync
 * @param messages      the delivered messages and their flags, as text the changes path writes and reads; a store
 *                      keeps it as it is and never looks inside
 */
public record ChangeCheckpoint(long uidValidity, Long highestModSeq, String messages) {
}
