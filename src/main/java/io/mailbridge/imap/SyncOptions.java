package io.mailbridge.imap;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.imap.ImapUidEndpoint.UidValidityPolicy;

/** The endpoint's options as a folder sync uses them, as Camel bound them, read once when the consumer is created. */
record SyncOptions(String account, FetchMode fetchMode, PostAction postAction, StartFrom startFrom,
        UidValidityPolicy uidValidityPolicy, SearchExpression search, CheckpointStore checkpointStore, int maxInFlight) {

    static SyncOptions of(ImapUidEndpoint endpoint) {
        return new SyncOptions(endpoint.effectiveAccount(), endpoint.getFetch(), endpoint.getAfter(), endpoint.getStartFrom(),
                endpoint.getOnUidValidityChange(), endpoint.getSearch(), endpoint.effectiveCheckpointStore(),
                endpoint.getMaxInFlight());
    }
}
