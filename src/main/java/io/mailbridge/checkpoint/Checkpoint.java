package io.mailbridge.checkpoint;

import java.time.Instant;

/**
 * Progress in one folder: every message matching the search with a UID at or below {@code lastUid}
 * (under {@code uidValidity}) has been accepted by the sink or the dead-letter endpoint.
 *
 * @param lastInternalDate INTERNALDATE of the newest message delivered so far, used to resume by
 *                         date when the server changes UIDVALIDITY; null before the first one
 */
public record Checkpoint(long uidValidity, long lastUid, Instant lastInternalDate) {

    public Checkpoint advance(long uid, Instant internalDate) {
        Instant newest = lastInternalDate;
        if (internalDate != null && (newest == null || internalDate.isAfter(newest))) {
            newest = internalDate;
        }
        return new Checkpoint(uidValidity, Math.max(lastUid, uid), newest);
    }
}
