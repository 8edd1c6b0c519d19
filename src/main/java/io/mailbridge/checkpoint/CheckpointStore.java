package io.mailbridge.checkpoint;

/**
 * Where inbound progress lives, one checkpoint per (account, folder). The default keeps a small file
 * per folder; a shared store (database, Kafka compacted topic) can replace it by binding another
 * implementation as {@code checkpointStore}.
 *
 * <p>A fenced store ({@code JdbcCheckpointStore} under {@code mail.cluster.service=jdbc}) refuses a
 * save from a replica that lost the account's lock by throwing {@link CheckpointFencedException}
 * from {@link #save}: the caller must stop this poll (deliver nothing more, change nothing in the
 * mailbox) and let the new leader go on from the stored checkpoint.
 */
public interface CheckpointStore {

    /** The saved checkpoint, or null when this folder was never polled. */
    Checkpoint load(String account, String folder) throws Exception;

    /** Saves durably: when this returns, a crash of the process does not lose the checkpoint. */
    void save(String account, String folder, Checkpoint checkpoint) throws Exception;

    /**
     * Call before anything that changes the mailbox (post-actions): throws
     * {@link CheckpointFencedException} when this replica no longer holds the account's lock. Stores
     * that are not fenced allow it always.
     */
    default void checkStillOwner(String account) throws Exception {
    }

    /** The folder's change-event state (mail.imap.changes), or null when none was saved. */
    ChangeCheckpoint loadChanges(String account, String folder) throws Exception;

    /** Saves the change-event state durably; fenced like {@link #save}. */
    void saveChanges(String account, String folder, ChangeCheckpoint changes) throws Exception;
}
