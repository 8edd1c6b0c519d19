package io.mailbridge.imap.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.mailbridge.imap.protocol.ChangeCommands.FlagsOf;
import org.junit.jupiter.api.Test;

/** The rules of what a look at the server reports, without a server. */
class ChangeDiffTest {

    private static final ChangeDiff.Folder INBOX = new ChangeDiff.Folder("ops", "INBOX", 7);
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private static KnownMessages known() {
        KnownMessages known = new KnownMessages();
        known.put(1, "\\Seen");
        known.put(2, "");
        known.put(3, "$Invoice");
        return known;
    }

    @Test
    void onlyKnownMessagesWhoseFlagsDifferBecomeFlagEvents() {
        List<ChangeEvent> events = ChangeDiff.events(INBOX, known(), List.of(
                new FlagsOf(1, List.of("\\Seen", "\\Recent"), 40), // same flags (\Recent is a session's view): no event
                new FlagsOf(2, List.of("\\Flagged"), 41),
                new FlagsOf(9, List.of("\\Seen"), 42)), // never delivered (a newer message, or one the search left out)
                Set.of(), null, NOW);
        assertEquals(1, events.size(), events.toString());
        assertEquals(2, events.get(0).uid());
        assertEquals(List.of("\\Flagged"), events.get(0).flags());
        assertEquals(41L, events.get(0).modseq());
        assertEquals("ops/INBOX/7/2", events.get(0).key());
    }

    @Test
    void anExpungeIsReportedForKnownMessagesOnlySoARelistedOneIsNotReportedAgain() {
        KnownMessages known = known();
        known.remove(3); // reported expunged before: Dovecot may list it again in VANISHED (EARLIER)
        List<ChangeEvent> events = ChangeDiff.events(INBOX, known, List.of(), Set.of(3L, 2L, 17L), 50L, NOW);
        assertEquals(1, events.size(), events.toString());
        assertEquals(ChangeEvent.Kind.EXPUNGED, events.get(0).change());
        assertEquals(2, events.get(0).uid());
        assertEquals(50L, events.get(0).modseq());
    }

    @Test
    void eventsComeInUidOrderWithAMessagesFlagsBeforeItsExpunge() {
        List<ChangeEvent> events = ChangeDiff.events(INBOX, known(), List.of(new FlagsOf(3, List.of(), -1),
                new FlagsOf(1, List.of(), -1)), Set.of(3L), null, NOW);
        assertEquals(List.of("1 FLAGS", "3 FLAGS", "3 EXPUNGED"), events.stream().map(e -> e.uid() + " " + e.change()).toList());
        assertEquals(null, events.get(0).modseq(), "no CONDSTORE, no MODSEQ");
    }

    @Test
    void aScanFindsTheKnownMessagesNoLongerThereAndTheHighestModSeq() {
        assertEquals(Set.of(2L, 3L), ChangeDiff.missing(known(), List.of(1L, 4L)));
        assertEquals(45, ChangeDiff.highestModSeq(List.of(new FlagsOf(1, List.of(), 45), new FlagsOf(2, List.of(), 12)), 30));
        assertEquals(30, ChangeDiff.highestModSeq(List.of(), 30));
    }
}
