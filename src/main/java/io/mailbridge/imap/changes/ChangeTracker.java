package io.mailbridge.imap.changes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.mailbridge.checkpoint.ChangeCheckpoint;
import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.CheckpointFencedException;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.imap.protocol.ChangeCommands;
import io.mailbridge.imap.protocol.PostAction;
import io.mailbridge.imap.protocol.SearchExpression;
import io.mailbridge.imap.protocol.UidCommands;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes path of the sync engine (mail.imap.changes), beside the new-mail path: after a folder's records
 * sync it asks the server what changed in the messages delivered as records, and hands one
 * {@link ChangeEvent} per change to the change sink. With CONDSTORE it asks for the flags changed since the
 * MODSEQ handled ({@code CHANGEDSINCE}) and, with QRESYNC, for the UIDs expunged since ({@code VANISHED});
 * without CONDSTORE it compares the folder's flags with those last reported, every changes-scan-interval. The
 * state ({@link ChangeCheckpoint}) moves only after the change sink acknowledged the events, and only one batch
 * per folder is out at a time, so a change-sink outage holds changes back while new mail goes on.
 */
public final class ChangeTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeTracker.class);

    private final String account;
    private final CheckpointStore store;
    private final Duration scanInterval;
    private final ChangeDeliveries deliveries;
    private final Map<String, FolderChanges> folders = new ConcurrentHashMap<>();

    public ChangeTracker(String account, CheckpointStore store, Duration scanInterval, ChangeDeliveries deliveries) {
        this.account = account;
        this.store = store;
        this.scanInterval = scanInterval;
        this.deliveries = deliveries;
    }

    /** One folder's state; every access holds its monitor (the sync thread and the change-delivery thread share it). */
    private static final class FolderChanges {
        long uidValidity;
        Long modseq;
        KnownMessages known;
        boolean pending;
        boolean woken;
        Instant lastScan = Instant.EPOCH;

        FolderChanges(long uidValidity, Long modseq, KnownMessages known) {
            this.uidValidity = uidValidity;
            this.modseq = modseq;
            this.known = known;
        }

        ChangeCheckpoint checkpoint() {
            return new ChangeCheckpoint(uidValidity, modseq, known.text());
        }
    }

    /** IDLE announced a flag change or an expunge: the next sync asks now, also without CONDSTORE. */
    public void woken(String folder) {
        FolderChanges state = folders.get(folder);
        if (state != null) {
            synchronized (state) {
                state.woken = true;
            }
        }
    }

    /**
     * Before the folder's records sync: loads the state; a new UIDVALIDITY voids it (the records path applies
     * on-uidvalidity-change, and the messages it delivers again are known again); a folder synced before changes
     * were turned on takes the messages up to its checkpoint that match its search as delivered, with their flags now.
     */
    public void prepare(IMAPFolder folder, String name, Checkpoint checkpoint, SearchExpression search) throws Exception {
        FolderChanges state = folders.get(name);
        long uidValidity = folder.getUIDValidity();
        if (state == null) {
            ChangeCheckpoint saved = store.loadChanges(account, name);
            state = saved == null ? null : new FolderChanges(saved.uidValidity(), saved.highestModSeq(), KnownMessages.parse(saved.messages()));
        }
        if (state != null && state.uidValidity == uidValidity) {
            folders.put(name, state);
            return;
        }
        if (state != null) {
            LOG.info("{} folder {}: UIDVALIDITY changed from {} to {}: change events start again from the messages delivered"
                    + " from now on", account, name, state.uidValidity, uidValidity);
        }
        FolderChanges fresh = new FolderChanges(uidValidity, highestModSeq(folder), new KnownMessages());
        if (state == null && checkpoint != null && checkpoint.uidValidity() == uidValidity && checkpoint.lastUid() > 0) {
            takeAsDelivered(folder, fresh, UidCommands.search(folder, 1, search), checkpoint.lastUid());
            LOG.info("{} folder {}: change events on: {} messages up to uid {} count as delivered", account, name,
                    fresh.known.size(), checkpoint.lastUid());
        }
        store.saveChanges(account, name, fresh.checkpoint());
        folders.put(name, fresh);
    }

    private static void takeAsDelivered(IMAPFolder folder, FolderChanges state, List<Long> matching, long upTo) throws Exception {
        List<Long> uids = matching.stream().filter(uid -> uid <= upTo).toList();
        if (uids.isEmpty()) {
            return;
        }
        for (ChangeCommands.FlagsOf f : ChangeCommands.flags(folder, UidCommands.uidSet(uids)).flags()) {
            state.known.put(f.uid(), KnownMessages.canonical(f.flags()));
        }
    }

    private static Long highestModSeq(IMAPFolder folder) throws Exception {
        return ChangeCommands.support(folder) == ChangeCommands.Support.NONE ? null : ChangeCommands.highestModSeq(folder);
    }

    /**
     * Messages the records path delivered, with the flags their records carry: known from now on, with the flags
     * the post-action gives them (mailbridge's own changes are not events); moved or deleted ones are not kept.
     * Saved before the records' checkpoint, so no delivered message is ever unknown here.
     */
    public void delivered(String name, Map<Long, List<String>> flagsByUid, PostAction after) throws Exception {
        FolderChanges state = folders.get(name);
        if (state == null || flagsByUid.isEmpty()) {
            return;
        }
        if (after.kind() == PostAction.Kind.MOVE || after.kind() == PostAction.Kind.DELETE) {
            return;
        }
        synchronized (state) { // saved under the lock: a snapshot never overtakes a newer one
            flagsByUid.forEach((uid, flags) -> state.known.put(uid, KnownMessages.canonical(withPostAction(flags, after))));
            store.saveChanges(account, name, state.checkpoint());
        }
    }

    private static List<String> withPostAction(List<String> flags, PostAction after) {
        List<String> out = new ArrayList<>(flags);
        switch (after.kind()) {
            case SEEN -> out.add("\\Seen");
            case FLAG -> out.add(after.argument());
            default -> { }
        }
        return out;
    }

    /**
     * After the folder's records sync: asks what changed and hands the events over, unless the previous batch is
     * still out (its sink is slow or down: the changes wait, new mail does not).
     */
    public void sync(IMAPFolder folder, String name) throws Exception {
        FolderChanges state = folders.get(name);
        if (state == null) {
            return;
        }
        Query query;
        synchronized (state) {
            if (state.pending || state.known.isEmpty()) {
                return;
            }
            query = new Query(state.known.lowest() + ":" + state.known.highest(), state.modseq, state.woken
                    || !Instant.now().isBefore(state.lastScan.plus(scanInterval)));
        }
        ChangeCommands.Support support = ChangeCommands.support(folder);
        if (support != ChangeCommands.Support.NONE && query.modseq == null) {
            saveBaseline(name, state, ChangeCommands.highestModSeq(folder)); // the server gained CONDSTORE
            return;
        }
        boolean fullScan = support != ChangeCommands.Support.QRESYNC && query.scanDue;
        ChangeCommands.Changes changes = fullScan ? ChangeCommands.flags(folder, query.range)
                : support == ChangeCommands.Support.NONE ? null
                : ChangeCommands.changedSince(folder, query.range, query.modseq, support == ChangeCommands.Support.QRESYNC);
        if (changes != null) {
            handOver(name, state, changes, fullScan, query);
        }
    }

    private record Query(String range, Long modseq, boolean scanDue) {
    }

    private void saveBaseline(String name, FolderChanges state, Long modseq) throws Exception {
        synchronized (state) {
            state.modseq = modseq;
            store.saveChanges(account, name, state.checkpoint());
        }
    }

    /** The events of one answer, in UID order; none moves at most the MODSEQ. */
    private void handOver(String name, FolderChanges state, ChangeCommands.Changes changes, boolean fullScan, Query query)
            throws Exception {
        Instant now = Instant.now();
        List<ChangeEvent> events = new ArrayList<>();
        long newModSeq = query.modseq == null ? -1 : query.modseq;
        synchronized (state) {
            if (fullScan) {
                state.lastScan = now;
            }
            state.woken = false;
            Set<Long> present = new HashSet<>();
            for (ChangeCommands.FlagsOf f : changes.flags()) {
                present.add(f.uid());
                newModSeq = Math.max(newModSeq, f.modseq());
                String current = KnownMessages.canonical(f.flags());
                String known = state.known.flagsOf(f.uid());
                if (known != null && !known.equals(current)) {
                    events.add(event(name, state, f.uid(), ChangeEvent.Kind.FLAGS, KnownMessages.list(current),
                            f.modseq() < 0 ? null : f.modseq(), now));
                }
            }
            Set<Long> gone = new java.util.TreeSet<>(changes.vanished());
            if (fullScan) {
                for (long uid : state.known.uids()) {
                    if (!present.contains(uid)) {
                        gone.add(uid);
                    }
                }
            }
            Long expungeModSeq = newModSeq < 0 ? null : newModSeq;
            for (long uid : gone) {
                if (state.known.contains(uid)) { // Dovecot may list UIDs expunged long ago again: reported once
                    events.add(event(name, state, uid, ChangeEvent.Kind.EXPUNGED, null, expungeModSeq, now));
                }
            }
            events.sort((a, b) -> Long.compare(a.uid(), b.uid()));
            if (!events.isEmpty()) {
                state.pending = true;
            }
        }
        Long modseq = newModSeq < 0 ? null : newModSeq;
        if (events.isEmpty()) {
            if (modseq != null && !modseq.equals(query.modseq)) {
                saveBaseline(name, state, modseq);
            }
            return;
        }
        deliveries.deliver(events, event -> acknowledged(name, state, event),
                count -> finished(name, state, events, count, modseq));
    }

    private ChangeEvent event(String name, FolderChanges state, long uid, ChangeEvent.Kind kind, List<String> flags,
            Long modseq, Instant now) {
        return new ChangeEvent(account, name, state.uidValidity, uid, kind, flags, modseq, now);
    }

    /**
     * The change sink took this event: it is what is known of the message now, saved at once, so that a crash
     * repeats at most the event in flight (a durable write per event; changes are few next to records).
     */
    private void acknowledged(String name, FolderChanges state, ChangeEvent event) {
        deliveries.counted(name, event.change(), 1);
        synchronized (state) {
            if (event.change() == ChangeEvent.Kind.EXPUNGED) {
                state.known.remove(event.uid());
            } else if (state.known.contains(event.uid())) {
                state.known.put(event.uid(), KnownMessages.canonical(event.flags()));
            }
            save(name, state);
        }
    }

    /**
     * The batch ended with the first {@code count} events taken. The MODSEQ moves only when all were: the rest are
     * found again next time, and only those (the flags of the others compare equal now).
     */
    private void finished(String name, FolderChanges state, List<ChangeEvent> events, int count, Long modseq) {
        synchronized (state) {
            state.pending = false;
            if (count == events.size() && modseq != null) {
                state.modseq = modseq;
                save(name, state);
            }
        }
        if (count > 0) {
            LOG.info("{} folder {}: {} change events delivered{}", account, name, count,
                    count < events.size() ? " (" + (events.size() - count) + " not acknowledged: reported again later)" : "");
        }
    }

    /** @throws IllegalStateException when another replica holds the account now: this one hands nothing more over */
    private void save(String name, FolderChanges state) {
        if (folders.get(name) != state) {
            return; // the state of an earlier UIDVALIDITY, replaced while its last batch was out: void
        }
        try {
            store.saveChanges(account, name, state.checkpoint());
        } catch (CheckpointFencedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (Exception e) {
            LOG.warn("{} folder {}: the change state was not saved ({}); changes since the last save may be reported again",
                    account, name, e.getMessage());
            LOG.debug("Saving the change state of {} failed", name, e);
        }
    }
}
