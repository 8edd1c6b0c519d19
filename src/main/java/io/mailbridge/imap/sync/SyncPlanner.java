package io.mailbridge.imap.sync;

import java.time.Instant;
import java.time.ZoneOffset;

import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.imap.protocol.SearchExpression;

/**
 * Decides where a folder's sync starts, from its stored checkpoint and what the server reports:
 * start-from for a folder never synced, the UIDVALIDITY policy for one whose UIDs the server
 * renumbered, the checkpoint as is otherwise. It touches no server, store or log, so every decision
 * can be tested on its own; {@link FolderSync} carries the decision out.
 */
final class SyncPlanner {

    /** What a sync does before fetching anything. */
    sealed interface StartPoint permits SaveOnly, SearchFrom {
    }

    /** Nothing to fetch: save this checkpoint and end the sync (start-from=now, on-uidvalidity-change=now). */
    record SaveOnly(Checkpoint checkpoint) implements StartPoint {
    }

    /**
     * Search {@code UID checkpoint.lastUid+1:*} with {@code search} and build progress on {@code checkpoint}.
     *
     * @param notAfterOrAt when resuming by date after a UIDVALIDITY change, only messages with an
     *                     INTERNALDATE after this one are delivered; null when there is no floor
     */
    record SearchFrom(Checkpoint checkpoint, SearchExpression search, Instant notAfterOrAt) implements StartPoint {
    }

    private final String account;
    private final StartFrom startFrom;
    private final UidValidityPolicy uidValidityPolicy;

    SyncPlanner(String account, StartFrom startFrom, UidValidityPolicy uidValidityPolicy) {
        this.account = account;
        this.startFrom = startFrom;
        this.uidValidityPolicy = uidValidityPolicy;
    }

    /** True when there is a stored checkpoint and the server renumbered the folder since it was written. */
    static boolean uidValidityChanged(Checkpoint stored, long uidValidity) {
        return stored != null && stored.uidValidity() != uidValidity;
    }

    /**
     * @param stored the folder's checkpoint, null if it was never synced
     * @param uidNext the UID the server will give the next message (its highest UID + 1; 0 for an empty folder)
     * @param search the folder's configured search
     * @throws UidValidityChangedException when UIDVALIDITY changed and the policy is FAIL
     */
    StartPoint plan(String folder, Checkpoint stored, long uidValidity, long uidNext, SearchExpression search)
            throws UidValidityChangedException {
        if (stored == null) {
            return firstStart(uidValidity, uidNext, search);
        }
        if (uidValidityChanged(stored, uidValidity)) {
            return afterUidValidityChange(folder, stored, uidValidity, uidNext, search);
        }
        return new SearchFrom(stored, search, null);
    }

    private StartPoint firstStart(long uidValidity, long uidNext, SearchExpression search) {
        return switch (startFrom.kind()) {
            case NOW -> new SaveOnly(new Checkpoint(uidValidity, highestUid(uidNext), null));
            case DATE -> new SearchFrom(new Checkpoint(uidValidity, 0, null),
                    search.andSince(StartFrom.format(startFrom.date())), null);
            case ALL -> new SearchFrom(new Checkpoint(uidValidity, 0, null), search, null);
        };
    }

    /** The stored UIDs are void; the last INTERNALDATE delivered is the only progress that survives. */
    private StartPoint afterUidValidityChange(String folder, Checkpoint stored, long uidValidity, long uidNext,
            SearchExpression search) throws UidValidityChangedException {
        Instant lastDate = stored.lastInternalDate();
        Checkpoint fromScratch = new Checkpoint(uidValidity, 0, lastDate);
        return switch (uidValidityPolicy) {
            case FAIL -> throw new UidValidityChangedException(account, folder, stored.uidValidity(), uidValidity);
            case NOW -> new SaveOnly(new Checkpoint(uidValidity, highestUid(uidNext), lastDate));
            case ALL -> new SearchFrom(fromScratch, search, null);
            case SINCE_LAST_DATE -> lastDate == null
                    ? new SearchFrom(fromScratch, search, null)
                    // SINCE has day granularity in the server's time zone: ask a day early, filter exactly by INTERNALDATE
                    : new SearchFrom(fromScratch, search.andSince(
                            StartFrom.format(lastDate.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1))), lastDate);
        };
    }

    private static long highestUid(long uidNext) {
        return Math.max(0, uidNext - 1);
    }
}
