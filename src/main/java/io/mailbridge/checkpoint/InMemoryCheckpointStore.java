package io.mailbridge.checkpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints that last as long as the JVM: for tests and throwaway runs. */
public class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, ChangeCheckpoint> changes = new ConcurrentHashMap<>();

    @Override
    public Checkpoint load(String account, String folder) {
        return checkpoints.get(account + "\u0000" + folder);
    }

    @Override
    public void save(String account, String folder, Checkpoint checkpoint) {
        checkpoints.put(account + "\u0000" + folder, checkpoint);
    }

    @Override
    public ChangeCheckpoint loadChanges(String account, String folder) {
        return changes.get(account + "\u0000" + folder);
    }

    @Override
    public void saveChanges(String account, String folder, ChangeCheckpoint state) {
        changes.put(account + "\u0000" + folder, state);
    }
}
