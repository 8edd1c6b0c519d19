package io.mailbridge.imap;

import java.time.Instant;
import java.util.List;

/** One message as a single UID FETCH returned it. */
public record FetchedMessage(long uid, List<String> flags, Instant internalDate, long size, byte[] content) {
}
