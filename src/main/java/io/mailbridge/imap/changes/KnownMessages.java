package io.mailbridge.imap.changes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * The messages of a folder delivered as records, each with the flags last reported for it (in the record or a
 * change event). Only these get change events; a flag change is one where the server's flags differ from these.
 * Kept as text of one line per distinct flag set ({@code \Seen $Invoice<TAB>1:480,482}), so a folder of 10,000
 * messages with a handful of flag combinations stores a few hundred bytes.
 */
final class KnownMessages {

    /** uid -> flags in canonical form (sorted, space-separated, no \Recent); "" for none. */
    private final NavigableMap<Long, String> flags = new TreeMap<>();

    static KnownMessages parse(String text) {
        KnownMessages known = new KnownMessages();
        if (text == null) {
            return known;
        }
        for (String line : text.split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab < 0) {
                continue;
            }
            String set = line.substring(tab + 1).trim();
            if (set.isEmpty()) {
                continue;
            }
            for (long uid : UIDSet.toArray(UIDSet.parseUIDSets(set))) {
                known.flags.put(uid, line.substring(0, tab));
            }
        }
        return known;
    }

    String text() {
        Map<String, List<Long>> byFlags = new LinkedHashMap<>();
        flags.forEach((uid, f) -> byFlags.computeIfAbsent(f, k -> new ArrayList<>()).add(uid));
        StringBuilder out = new StringBuilder();
        byFlags.forEach((f, uids) -> out.append(f).append('\t')
                .append(UIDSet.toString(UIDSet.createUIDSets(uids.stream().mapToLong(Long::longValue).toArray())))
                .append('\n'));
        return out.toString();
    }

    /** Flags as IMAP lists them, in the canonical form compared and stored here. */
    static String canonical(Collection<String> imapFlags) {
        TreeSet<String> sorted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String f : imapFlags) {
            if (!f.equalsIgnoreCase("\\Recent")) {
                sorted.add(f);
            }
        }
        return String.join(" ", sorted);
    }

    static List<String> list(String canonical) {
        return canonical.isEmpty() ? List.of() : List.of(canonical.split(" "));
    }

    boolean contains(long uid) {
        return flags.containsKey(uid);
    }

    String flagsOf(long uid) {
        return flags.get(uid);
    }

    void put(long uid, String canonicalFlags) {
        flags.put(uid, canonicalFlags);
    }

    void remove(long uid) {
        flags.remove(uid);
    }

    boolean isEmpty() {
        return flags.isEmpty();
    }

    long lowest() {
        return flags.firstKey();
    }

    long highest() {
        return flags.lastKey();
    }

    int size() {
        return flags.size();
    }

    Iterable<Long> uids() {
        return new ArrayList<>(flags.keySet());
    }
}
