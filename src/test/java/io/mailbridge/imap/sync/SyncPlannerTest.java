package io.mailbridge.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.imap.protocol.SearchExpression;
import org.junit.jupiter.api.Test;

/**
 * Where a folder's sync starts: start-from for a folder never synced, each on-uidvalidity-change
 * policy after the server renumbered a folder. UIDVALIDITY 7 is the stored one, 9 the server's new one;
 * the folder's highest UID is 41 (UIDNEXT 42).
 */
class SyncPlannerTest {

    private static final long UID_NEXT = 42;
    private static final SearchExpression UNSEEN = SearchExpression.parse("UNSEEN");
    /** 00:30 UTC on 14 Nov: SINCE must ask from 13 Nov, whatever the server's time zone. */
    private static final Instant LAST_DATE = Instant.parse("2026-11-14T00:30:00Z");

    private static SyncPlanner.StartPoint plan(StartFrom startFrom, UidValidityPolicy policy, Checkpoint stored,
            long uidValidity) throws UidValidityChangedException {
        return new SyncPlanner("support", startFrom, policy).plan("INBOX", stored, uidValidity, UID_NEXT, UNSEEN);
    }

    private static SyncPlanner.StartPoint firstStart(String startFrom) throws UidValidityChangedException {
        return plan(StartFrom.parse(startFrom), UidValidityPolicy.FAIL, null, 9);
    }

    private static SyncPlanner.StartPoint afterChange(UidValidityPolicy policy, Instant lastDate)
            throws UidValidityChangedException {
        return plan(StartFrom.parse("all"), policy, new Checkpoint(7, 1000, lastDate), 9);
    }

    @Test
    void firstStartFromAllSearchesTheWholeFolderWithTheFolderSearch() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SearchFrom.class, firstStart("all"));

        assertEquals(new Checkpoint(9, 0, null), start.checkpoint());
        assertEquals("UNSEEN", start.search().source());
        assertNull(start.notAfterOrAt());
    }

    @Test
    void firstStartFromNowSkipsEveryExistingMessageAndFetchesNothing() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SaveOnly.class, firstStart("now"));

        assertEquals(new Checkpoint(9, 41, null), start.checkpoint());
    }

    @Test
    void firstStartFromNowInAnEmptyFolderSavesUidZero() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SaveOnly.class, new SyncPlanner("support", StartFrom.parse("now"),
                UidValidityPolicy.FAIL).plan("INBOX", null, 9, 0, UNSEEN));

        assertEquals(new Checkpoint(9, 0, null), start.checkpoint());
    }

    @Test
    void firstStartFromADateAddsSinceToTheFolderSearch() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SearchFrom.class, firstStart("1-nov-2026"));

        assertEquals(new Checkpoint(9, 0, null), start.checkpoint());
        assertEquals("UNSEEN SINCE 1-Nov-2026", start.search().source());
        assertNull(start.notAfterOrAt());
    }

    @Test
    void aCheckpointUnderTheSameUidValidityIsUsedAsIsWhateverStartFromSays() throws Exception {
        Checkpoint stored = new Checkpoint(9, 1000, LAST_DATE);

        var start = assertInstanceOf(SyncPlanner.SearchFrom.class,
                plan(StartFrom.parse("now"), UidValidityPolicy.FAIL, stored, 9));

        assertEquals(stored, start.checkpoint());
        assertEquals("UNSEEN", start.search().source());
        assertNull(start.notAfterOrAt());
    }

    @Test
    void failPolicyStopsWithAnExceptionNamingAccountFolderAndBothUidValidities() {
        var e = assertThrows(UidValidityChangedException.class, () -> afterChange(UidValidityPolicy.FAIL, LAST_DATE));

        assertTrue(e.getMessage().startsWith("UIDVALIDITY of support folder INBOX changed from 7 to 9"),
                e.getMessage());
    }

    @Test
    void allPolicyRefetchesTheWholeFolderAndKeepsTheLastDate() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SearchFrom.class, afterChange(UidValidityPolicy.ALL, LAST_DATE));

        assertEquals(new Checkpoint(9, 0, LAST_DATE), start.checkpoint());
        assertEquals("UNSEEN", start.search().source());
        assertNull(start.notAfterOrAt());
    }

    @Test
    void nowPolicySkipsTheRenumberedFolderAndKeepsTheLastDate() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SaveOnly.class, afterChange(UidValidityPolicy.NOW, LAST_DATE));

        assertEquals(new Checkpoint(9, 41, LAST_DATE), start.checkpoint());
    }

    @Test
    void sinceLastDatePolicyAsksFromTheDayBeforeAndFiltersByTheExactLastDate() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SearchFrom.class,
                afterChange(UidValidityPolicy.SINCE_LAST_DATE, LAST_DATE));

        assertEquals(new Checkpoint(9, 0, LAST_DATE), start.checkpoint());
        assertEquals("UNSEEN SINCE 13-Nov-2026", start.search().source());
        assertEquals(LAST_DATE, start.notAfterOrAt());
    }

    @Test
    void sinceLastDatePolicyWithNothingDeliveredYetRefetchesTheWholeFolder() throws Exception {
        var start = assertInstanceOf(SyncPlanner.SearchFrom.class,
                afterChange(UidValidityPolicy.SINCE_LAST_DATE, null));

        assertEquals(new Checkpoint(9, 0, null), start.checkpoint());
        assertEquals("UNSEEN", start.search().source());
        assertNull(start.notAfterOrAt());
    }
}
