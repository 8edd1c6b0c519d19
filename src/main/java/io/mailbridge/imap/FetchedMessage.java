package io.mailbridge.imap;

import java.io.File;
import java.time.Instant;
import java.util.List;

/**
 * One message as UID FETCH returned it: its bytes in memory ({@code content}), or, above
 * maxInlineBytes, in a temp {@code file} that {@link #discard()} deletes once the exchange is done.
 */
public record FetchedMessage(long uid, List<String> flags, Instant internalDate, long size, byte[] content, File file) {

    void discard() {
        if (file != null && !file.delete() && file.exists()) {
            file.deleteOnExit();
        }
    }
}
