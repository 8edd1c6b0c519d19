package io.mailbridge.imap.protocol;

import java.io.File;
import java.time.Instant;
import java.util.List;

/**
 * One message as UID FETCH returned it: its bytes in memory ({@code content}), or, above
 * maxInlineBytes, in a temp {@code file}. {@link #discard()}, once the exchange is done, deletes the
 * file and gives the content's bytes back to the {@link PrefetchBudget} they were fetched under.
 */
public record FetchedMessage(long uid, List<String> flags, Instant internalDate, long size, byte[] content, File file,
        PrefetchBudget.Lease lease) {

    public FetchedMessage(long uid, List<String> flags, Instant internalDate, long size, byte[] content, File file) {
        this(uid, flags, internalDate, size, content, file, null);
    }

    /** This message, its memory counted under the lease. */
    public FetchedMessage heldUnder(PrefetchBudget.Lease fetchLease) {
        return new FetchedMessage(uid, flags, internalDate, size, content, file, fetchLease);
    }

    /** Bytes this message holds in memory. */
    public long heapBytes() {
        return content == null ? 0 : content.length;
    }

    public void discard() {
        if (file != null && !file.delete() && file.exists()) {
            file.deleteOnExit();
        }
        if (lease != null) {
            lease.release(heapBytes());
        }
    }
}
