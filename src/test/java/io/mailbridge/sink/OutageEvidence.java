package io.mailbridge.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.FileCheckpointStore;
import io.mailbridge.support.LogCapture;

/** What the sink outage tests read off a mailbridge data directory and its log. */
final class OutageEvidence {

    private OutageEvidence() {
    }

    /** alice's INBOX checkpoint under {@code data/checkpoints}: 0 before the first save, -1 if unreadable. */
    static long checkpointUid(Path data) {
        try {
            Checkpoint c = new FileCheckpointStore(data.resolve("checkpoints")).load("alice", "INBOX");
            return c == null ? 0 : c.lastUid();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every file under {@code data/dead-letter}. */
    static List<Path> deadLetters(Path data) throws IOException {
        Path dir = data.resolve("dead-letter");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** How many distinct records SinkStatus's WARN lines name: each record in flight backs off on its own. */
    static long recordsNamed(List<LogCapture.Line> warnings) {
        return warnings.stream().map(w -> w.message().replaceAll(".*Record (\\S+) waits.*", "$1")).distinct().count();
    }
}
