package io.mailbridge.imap.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.imap.protocol.FetchMode;
import io.mailbridge.imap.protocol.ImapServer;
import io.mailbridge.imap.protocol.PostAction;
import io.mailbridge.imap.protocol.PrefetchBudget;
import io.mailbridge.imap.protocol.SearchExpression;

/**
 * A mailbox's options as the sync engine uses them, read once when the consumer is created: the
 * engine knows nothing of Camel endpoints or properties, so it can be tested with no server and no
 * route ({@code folderSearches}: a folder's own search, else {@code search}).
 */
public record SyncOptions(ImapServer server, List<String> folders, FetchMode fetchMode, PostAction postAction,
        StartFrom startFrom, UidValidityPolicy uidValidityPolicy, SearchExpression search,
        Map<String, SearchExpression> folderSearches, CheckpointStore checkpointStore, int maxInFlight, int fetchSize,
        long maxInlineBytes, PrefetchBudget prefetchBudget, Duration pollDelay, Duration idleInterval,
        Duration idleMissedAfter, Duration maxBackoff, Duration maxLoginBackoff) {

    /** The account part of record keys and checkpoints. */
    public String account() {
        return server.account();
    }

    /** The folder's own search, else the mailbox's. */
    public SearchExpression searchFor(String folder) {
        return folderSearches.getOrDefault(folder, search);
    }
}
