package io.mailbridge.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The change events (mailbridge.change/1) a directory sink holds, for the tests of mail.imap.changes. */
public final class ChangeEventFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public ChangeEventFiles(Path dir) {
        this.dir = dir;
    }

    /** Every event, in the order mailbridge saw them (seenAt, then UID). */
    public List<JsonNode> all() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path p : RunningMailbridge.jsonFiles(dir)) {
            out.add(JSON.readTree(p.toFile()));
        }
        out.sort((a, b) -> a.get("seenAt").asText().compareTo(b.get("seenAt").asText()) != 0
                ? a.get("seenAt").asText().compareTo(b.get("seenAt").asText())
                : Long.compare(a.get("uid").asLong(), b.get("uid").asLong()));
        return out;
    }

    /**
     * The events without the \Deleted mark a deleting client sets just before its EXPUNGE: a look that falls between
     * the two reports it (rightly, see record-schema.md), one that does not, not; the tests assert the rest.
     */
    public List<JsonNode> withoutDeletedMarks() throws IOException {
        return all().stream().filter(e -> !e.get("flags").toString().contains("\\\\Deleted")).toList();
    }

    /** Waits until {@code count} events (without \Deleted marks) are there, and returns them. */
    public List<JsonNode> await(int count, Duration within) throws Exception {
        RunningMailbridge.await(within, () -> {
            try {
                return withoutDeletedMarks().size() >= count;
            } catch (IOException e) {
                return false;
            }
        }, count + " change events in " + dir);
        return withoutDeletedMarks();
    }

    /** An event's flags as a list. */
    public static List<String> flags(JsonNode event) {
        List<String> out = new ArrayList<>();
        event.get("flags").forEach(f -> out.add(f.asText()));
        return out;
    }
}
