package io.mailbridge.imap.changes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.mailbridge.checkpoint.ChangeCheckpoint;
import io.mailbridge.checkpoint.CheckpointFencedException;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.imap.protocol.ChangeCommands;
import io.mailbridge.imap.protocol.ChangeCommands.FlagsOf;
import io.mailbridge.imap.protocol.ImapSession;
import io.mailbridge.imap.protocol.PostAction;
import io.mailbridge.imap.sync.ChangesPath;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes path of the sync engine (mail.imap.changes), beside the new-mail path: after a folder's records
 * sync it asks the server what changed in the messages delivered as records since it last looked, and hands one
 * {@link ChangeEvent} per change to the change sink.
 * <ul>
 * <li>QRESYNC: {@code UID FETCH (FLAGS) (CHANGEDSINCE m VANISHED)} gives flag changes and expunges at once;</li>
 * <li>CONDSTORE only: flags by CHANGEDSINCE; expunges by {@code UID SEARCH} when IDLE announced one, and every
 * changes-scan-interval;</li>
 * <li>neither: the folder's flags fetched whole and compared, on an IDLE announcement and every interval.</li>
 * </ul>
 * It has a connection of its own, selected with QRESYNC enabled (the records connection must not be: see
 * {@link ImapSession#enableQresync}). The state ({@link ChangeCheckpoint}) is saved after each event the change
 * sink acknowledged; one batch per folder is out at a time, so a change-sink outage holds changes back while new
 * mail goes on.
 */
public final class ChangeTracker implements ChangesPath, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeTracker.class);

    private final String account;
    private final CheckpointStore store;
    private final ImapSession session;
    private final Duration scanInterval;
    private final ChangeDeliveries deliveries;
    private final Map<String, FolderState> folders = new ConcurrentHashMap<>();

    /** @param session a connection for this path alone; QRESYNC is enabled on it */
    public ChangeTracker(String account, CheckpointStore store, ImapSession session, Duration scanInterval,
            ChangeDeliveries deliveries) {
        this.account = account;
        this.store = store;
        this.session = session;
        this.scanInterval = scanInterval;
        this.deliveries = deliveries;
        session.enableQresync();
    }

    /** One folder's state; every access holds its monitor (the sync thread and the change-delivery thread share it). */
    private static final class FolderState {
        final long uidValidity;
        Long modseq;
        final KnownMessages known;
        boolean pending;
        boolean woken;
        Instant lastScan = Instant.EPOCH;

        FolderState(long uidValidity, Long modseq, KnownMessages known) {
            this.uidValidity = uidValidity;
            this.modseq = modseq;
            this.known = known;
        }

        ChangeCheckpoint checkpoint() {
            return new ChangeCheckpoint(uidValidity, modseq, known.text());
        }
    }

    @Override
    public boolean isOn() {
        return true;
    }

    /** IDLE announced a flag change or an expunge: the next look also scans where the server cannot say. */
    public void woken(String folder) {
        FolderState state = folders.get(folder);
        if (state != null) {
            synchronized (state) {
                state.woken = true;
            }
        }
    }

    /**
     * Loads the folder's state. A new UIDVALIDITY voids it, and a folder without one starts empty: messages are
     * followed from their delivery on (a message delivered before changes were turned on, or skipped by start-from,
     * has no record of this run to join an event to).
     */
    @Override
    public void prepare(String name, long uidValidity) throws Exception {
        FolderState state = folders.get(name);
        if (state == null) {
            ChangeCheckpoint saved = store.loadChanges(account, name);
            state = saved == null ? null : new FolderState(saved.uidValidity(), saved.highestModSeq(), KnownMessages.parse(saved.messages()));
        }
        if (state != null && state.uidValidity == uidValidity) {
            folders.putIfAbsent(name, state);
            return;
        }
        if (state != null) {
            LOG.info("{} folder {}: UIDVALIDITY changed from {} to {}: change events follow the messages delivered from now on",
                    account, name, state.uidValidity, uidValidity);
        }
        FolderState fresh = new FolderState(uidValidity, highestModSeq(name), new KnownMessages());
        replace(name, state, fresh);
    }

    /** The new state takes the old one's place under the old one's lock: a late acknowledgement of the old batch finds it gone. */
    private void replace(String name, FolderState old, FolderState fresh) throws Exception {
        Object lock = old != null ? old : fresh;
        synchronized (lock) {
            folders.put(name, fresh);
            store.saveChanges(account, name, fresh.checkpoint());
        }
    }

    private Long highestModSeq(String name) throws Exception {
        IMAPFolder folder = folder(name);
        return ChangeCommands.support(folder) == ChangeCommands.Support.NONE ? null : ChangeCommands.highestModSeq(folder);
    }

    /**
     * Messages delivered as records, with the flags their records carry: followed from now on, with the flags the
     * post-action gave them (mailbridge's own changes are not events); moved or deleted ones are not followed.
     */
    @Override
    public void delivered(String name, Map<Long, List<String>> flagsByUid, PostAction after, boolean applied) throws Exception {
        FolderState state = folders.get(name);
        boolean gone = applied && (after.kind() == PostAction.Kind.MOVE || after.kind() == PostAction.Kind.DELETE);
        if (state == null || flagsByUid.isEmpty() || gone) {
            return;
        }
        synchronized (state) { // saved under the lock: a snapshot never overtakes a newer one
            flagsByUid.forEach((uid, flags) -> state.known.put(uid, KnownMessages.canonical(applied ? after.flagsAfter(flags) : flags)));
            store.saveChanges(account, name, state.checkpoint());
        }
    }

    /** What to ask the server this time. */
    private record Look(String range, Long modseq, boolean scan) {
    }

    /** What the server answered. */
    private record Answer(List<FlagsOf> flags, Set<Long> gone, List<Long> present, Long highestModSeq) {
    }

    /** Asks what changed and hands the events over, unless the folder's previous batch is still out. */
    @Override
    public void sync(String name) throws Exception {
        FolderState state = folders.get(name);
        if (state == null) {
            return;
        }
        Look look;
        synchronized (state) {
            if (state.pending || state.known.isEmpty()) {
                return;
            }
            Instant now = Instant.now();
            boolean scan = state.woken || !now.isBefore(state.lastScan.plus(scanInterval));
            state.woken = false; // cleared before asking: an announcement during the question is asked about next time
            if (scan) {
                state.lastScan = now;
            }
            look = new Look(state.known.lowest() + ":" + state.known.highest(), state.modseq, scan);
        }
        try {
            IMAPFolder folder = folder(name);
            if (folder.getUIDValidity() != state.uidValidity) {
                session.forget(name); // renumbered under this connection: the next sync selects it again
                return;
            }
            Answer answer = ask(folder, look);
            if (answer != null) {
                handOver(name, state, answer, look);
            }
        } catch (Exception e) {
            session.close(); // a broken connection is opened again by the next sync
            throw e;
        }
    }

    private IMAPFolder folder(String name) throws Exception {
        return session.folder(name);
    }

    private Answer ask(IMAPFolder folder, Look look) throws Exception {
        ChangeCommands.Support support = ChangeCommands.support(folder);
        if (support == ChangeCommands.Support.NONE) {
            if (!look.scan()) {
                return null;
            }
            List<FlagsOf> all = ChangeCommands.flags(folder, look.range()).flags();
            return new Answer(all, Set.of(), all.stream().map(FlagsOf::uid).toList(), null);
        }
        if (look.modseq() == null) { // the server has CONDSTORE now: take its MODSEQ as the starting point
            return new Answer(List.of(), Set.of(), null, ChangeCommands.highestModSeq(folder));
        }
        boolean qresync = support == ChangeCommands.Support.QRESYNC;
        ChangeCommands.Changes changes = ChangeCommands.changedSince(folder, look.range(), look.modseq(), qresync);
        List<Long> present = !qresync && look.scan() ? ChangeCommands.present(folder, look.range()) : null;
        boolean expunges = !changes.vanished().isEmpty() || present != null;
        // expunges carry no MODSEQ of their own: the folder's, read now, also moves the state past them
        Long highest = expunges ? ChangeCommands.highestModSeq(folder) : null;
        return new Answer(changes.flags(), Set.copyOf(changes.vanished()), present, highest);
    }

    private void handOver(String name, FolderState state, Answer answer, Look look) throws Exception {
        List<ChangeEvent> events;
        Long reached;
        synchronized (state) {
            Set<Long> gone = answer.present() == null ? answer.gone() : ChangeDiff.missing(state.known, answer.present());
            events = ChangeDiff.events(new ChangeDiff.Folder(account, name, state.uidValidity), state.known, answer.flags(),
                    gone, answer.highestModSeq(), Instant.now());
            long highest = ChangeDiff.highestModSeq(answer.flags(),
                    Math.max(look.modseq() == null ? -1 : look.modseq(), answer.highestModSeq() == null ? -1 : answer.highestModSeq()));
            reached = highest < 0 ? null : highest;
            if (events.isEmpty()) {
                if (reached != null && !reached.equals(state.modseq)) {
                    state.modseq = reached;
                    save(name, state);
                }
                return;
            }
            state.pending = true;
        }
        deliveries.deliver(events, event -> acknowledged(name, state, event),
                count -> finished(name, state, events, count, reached));
    }

    /**
     * The change sink took this event: it is what is known of the message now, saved at once, so that a crash
     * repeats at most the event in flight (a durable write per event; changes are few next to records).
     */
    private void acknowledged(String name, FolderState state, ChangeEvent event) {
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
    private void finished(String name, FolderState state, List<ChangeEvent> events, int count, Long reached) {
        synchronized (state) {
            state.pending = false;
            if (count == events.size() && reached != null) {
                state.modseq = reached;
                try {
                    save(name, state);
                } catch (IllegalStateException fenced) {
                    LOG.debug("{} folder {}: {}", account, name, fenced.getMessage()); // the account moved to another replica
                }
            }
        }
        if (count > 0) {
            LOG.info("{} folder {}: {} change events delivered{}", account, name, count,
                    count < events.size() ? " (" + (events.size() - count) + " not acknowledged: reported again later)" : "");
        }
    }

    /** @throws IllegalStateException when another replica holds the account now: this one hands nothing more over */
    private void save(String name, FolderState state) {
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

    /** Closes this path's connection. */
    @Override
    public void close() {
        session.close();
    }
}
