package io.mailbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A data directory for mailbridge processes (records, outbox, logs): on tmpfs where there is one, since
 * they write thousands of small files (see bench/README.md on ext4). When the test is done their logs
 * are kept under target/ (for a failure report and the measurements) and the rest goes.
 */
public final class ScratchDir {

    private ScratchDir() {
    }

    public static Path create(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
    }

    /** Copies the logs that exist (paths relative to {@code dir}) into {@code keep}, then deletes {@code dir}. */
    public static void keepLogsAndDelete(Path dir, Path keep, String... logs) throws IOException {
        Files.createDirectories(keep);
        for (String name : logs) {
            Path log = dir.resolve(name);
            if (Files.exists(log)) {
                Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
