package io.mailbridge.checkpoint;

/**
 * A checkpoint write (or a mailbox change) refused because this replica no longer holds the lock of
 * the account: another replica took over, and its progress is the one that counts.
 */
public class CheckpointFencedException extends IllegalStateException {

    public CheckpointFencedException(String message) {
        super(message);
    }
}
