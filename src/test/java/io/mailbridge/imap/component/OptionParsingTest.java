package io.mailbridge.imap.component;

import io.mailbridge.imap.protocol.PostAction;
import io.mailbridge.imap.sync.StartFrom;
import io.mailbridge.imap.protocol.UidCommands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** The small option languages users type into application.properties. */
class OptionParsingTest {

    @Test
    void startFromAcceptsAllNowAndRfc3501DatesInAnyCase() {
        assertEquals(StartFrom.Kind.ALL, StartFrom.parse("all").kind());
        assertEquals(StartFrom.Kind.NOW, StartFrom.parse("NOW").kind());
        assertEquals(LocalDate.of(2026, 11, 1), StartFrom.parse("1-Nov-2026").date());
        assertEquals(LocalDate.of(2026, 11, 1), StartFrom.parse("01-nov-2026").date());
        assertEquals("1-Nov-2026", StartFrom.format(LocalDate.of(2026, 11, 1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartFrom.parse("2026-11-01")).getMessage()
                .contains("RFC 3501 date"));
    }

    @Test
    void postActionsNeedTheirArgument() {
        assertEquals(new PostAction(PostAction.Kind.MOVE, "Archive/2026"), PostAction.parse("move:Archive/2026"));
        assertEquals(new PostAction(PostAction.Kind.FLAG, "$Forwarded"), PostAction.parse("flag:$Forwarded"));
        assertEquals(PostAction.Kind.NONE, PostAction.parse("none").kind());
        assertThrows(IllegalArgumentException.class, () -> PostAction.parse("move:"));
        assertThrows(IllegalArgumentException.class, () -> PostAction.parse("flag:two words"));
        assertThrows(IllegalArgumentException.class, () -> PostAction.parse("seen:x"));
        assertThrows(IllegalArgumentException.class, () -> PostAction.parse("archive"));
    }

    @Test
    void uidSetsAreCompact() {
        assertEquals("1:3,5,7:8", UidCommands.uidSet(java.util.List.of(1L, 2L, 3L, 5L, 7L, 8L)));
        assertEquals("42", UidCommands.uidSet(java.util.List.of(42L)));
    }
}
