package io.mailbridge.checkpoint;

/**
 * Where inbound progress lives, one checkpoint per (account, folder). The default keeps a small file
 * per folder; a shared store (database, Kafka compacted topic) can replace it by binding another
 * implementation as {@code checkpointStore}.
 */
public interface CheckpointStore {

    /** The saved checkpoint, or null when this folder was never polled. */
    Checkpoint load(String account, String folder) throws Exception;

    /** Saves durably: when this returns, a crash of the process does not lose the checkpoint. */
    void save(String account, String folder, Checkpoint checkpoint) throws Exception;
}
