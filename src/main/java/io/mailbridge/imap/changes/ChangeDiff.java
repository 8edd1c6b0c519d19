package io.mailbridge.imap.changes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.mailbridge.imap.protocol.ChangeCommands.FlagsOf;

/**
 * What one look at the server means against what was reported before: a flags event for each known message whose
 * flags differ, an expunge event for each known message gone, in UID order. It reads the state and changes nothing,
 * so every rule can be tested without a server.
 */
final class ChangeDiff {

    private ChangeDiff() {
    }

    /** The folder the events are of. */
    record Folder(String account, String name, long uidValidity) {
    }

    /**
     * @param flags         messages with their flags now (changed since a MODSEQ, or all of them)
     * @param gone          UIDs the server reports expunged; unknown ones (never delivered, or reported before) are ignored
     * @param expungeModSeq the folder's HIGHESTMODSEQ when the expunges were found, null without CONDSTORE
     */
    static List<ChangeEvent> events(Folder folder, KnownMessages known, List<FlagsOf> flags, Collection<Long> gone,
            Long expungeModSeq, Instant now) {
        List<ChangeEvent> events = new ArrayList<>();
        for (FlagsOf f : flags) {
            String was = known.flagsOf(f.uid());
            String current = KnownMessages.canonical(f.flags());
            if (was != null && !was.equals(current)) {
                events.add(new ChangeEvent(folder.account(), folder.name(), folder.uidValidity(), f.uid(),
                        ChangeEvent.Kind.FLAGS, KnownMessages.list(current), f.modseq() < 0 ? null : f.modseq(), now));
            }
        }
        for (long uid : new TreeSet<>(gone)) {
            if (known.contains(uid)) {
                events.add(new ChangeEvent(folder.account(), folder.name(), folder.uidValidity(), uid,
                        ChangeEvent.Kind.EXPUNGED, null, expungeModSeq, now));
            }
        }
        events.sort((a, b) -> Long.compare(a.uid(), b.uid())); // stable: a message's flags before its expunge
        return events;
    }

    /** The known UIDs not among {@code present}: expunged since the last look. */
    static Set<Long> missing(KnownMessages known, Collection<Long> present) {
        Set<Long> there = new HashSet<>(present);
        Set<Long> gone = new TreeSet<>();
        for (long uid : known.uids()) {
            if (!there.contains(uid)) {
                gone.add(uid);
            }
        }
        return gone;
    }

    /** The highest MODSEQ among the answer and {@code from} (-1: none). */
    static long highestModSeq(List<FlagsOf> flags, long from) {
        long highest = from;
        for (FlagsOf f : flags) {
            highest = Math.max(highest, f.modseq());
        }
        return highest;
    }
}
