package io.mailbridge.imap.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * The IMAP commands of change events, sent on a connection of their own (see ChangeTracker) (RFC 7162): flags changed since a MODSEQ, with the UIDs expunged since
 * ({@code VANISHED}) where QRESYNC is enabled, and a folder's flags whole for servers without CONDSTORE.
 * Angus Mail parses the responses; it has no call that returns VANISHED (EARLIER) for a selected folder.
 */
public final class ChangeCommands {

    private ChangeCommands() {
    }

    /** How a server can report changes. */
    public enum Support { QRESYNC, CONDSTORE, NONE }

    /** A message's flags as a FETCH response gave them; modseq is -1 when the server sent none. */
    public record FlagsOf(long uid, List<String> flags, long modseq) {
    }

    /** What one query found: flags of changed (or all) messages, and UIDs reported expunged. */
    public record Changes(List<FlagsOf> flags, List<Long> vanished) {
    }

    /** What the folder's connection supports now (QRESYNC counts only where it was enabled before SELECT). */
    public static Support support(IMAPFolder folder) throws MessagingException {
        return (Support) folder.doCommand(p -> p.isEnabled("QRESYNC") ? Support.QRESYNC
                : p.hasCapability("CONDSTORE") ? Support.CONDSTORE : Support.NONE);
    }

    /** True when the server lists QRESYNC (then a folder is best opened with ResyncData, which enables it). */
    public static boolean hasQresync(IMAPStore store) throws MessagingException {
        return store.hasCapability("QRESYNC");
    }

    /**
     * {@code UID FETCH <set> (UID FLAGS) (CHANGEDSINCE m [VANISHED])}: the messages in the set whose flags changed
     * after MODSEQ m, and with QRESYNC the UIDs of the set expunged since.
     */
    public static Changes changedSince(IMAPFolder folder, String uidSet, long modseq, boolean vanished)
            throws MessagingException {
        return query(folder, "UID FETCH " + uidSet + " (UID FLAGS) (CHANGEDSINCE " + modseq + (vanished ? " VANISHED)" : ")"));
    }

    /** {@code UID FETCH <set> (UID FLAGS)}: the flags of every message of the set still there. */
    public static Changes flags(IMAPFolder folder, String uidSet) throws MessagingException {
        return query(folder, "UID FETCH " + uidSet + " (UID FLAGS)");
    }

    private static Changes query(IMAPFolder folder, String command) throws MessagingException {
        return (Changes) folder.doCommand(p -> {
            Response[] responses = p.command(command, null);
            List<FlagsOf> flags = new ArrayList<>();
            List<Long> vanished = new ArrayList<>();
            Map<Integer, FetchResponse> bySequence = new LinkedHashMap<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof FetchResponse fr && fr.getItem(FLAGS.class) != null) {
                    if (fr.getItem(UID.class) != null) {
                        flags.add(flagsOf(fr.getItem(UID.class).uid, fr));
                    } else {
                        bySequence.put(fr.getNumber(), fr); // see below
                    }
                    responses[i] = null;
                } else if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("EXPUNGE")) {
                    shiftAfterExpunge(bySequence, ir.getNumber());
                } else if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("VANISHED")) {
                    // (EARLIER): the answer to VANISHED; without it, an expunge by another client just now. Both are
                    // taken here: Angus 2.0.5 fails on a plain VANISHED of two or more UIDs (createMessagesForUIDs
                    // fills every other slot), so none may reach the folder's handlers
                    ir.readAtomStringList();
                    for (long uid : UIDSet.toArray(UIDSet.parseUIDSets(ir.readAtom()))) {
                        vanished.add(uid);
                    }
                    responses[i] = null;
                }
            }
            UidCommands.finish(p, responses);
            flags.addAll(withUids(p, bySequence));
            return new Changes(latestPerUid(flags), vanished);
        });
    }

    /**
     * One entry per message: a server may report a message twice in one answer (Dovecot: an unsolicited FETCH for a
     * change pending on this connection, then the UID FETCH's own line); the later, or higher MODSEQ, one counts.
     */
    private static List<FlagsOf> latestPerUid(List<FlagsOf> flags) {
        Map<Long, FlagsOf> latest = new LinkedHashMap<>();
        for (FlagsOf f : flags) {
            latest.merge(f.uid(), f, (was, now) -> now.modseq() >= was.modseq() ? now : was);
        }
        return new ArrayList<>(latest.values());
    }

    private static FlagsOf flagsOf(long uid, FetchResponse fr) {
        MODSEQ m = fr.getItem(MODSEQ.class);
        return new FlagsOf(uid, UidCommands.imapFlags(fr.getItem(FLAGS.class)), m == null ? -1 : m.modseq);
    }

    /** An EXPUNGE renumbers the messages after it: the sequence numbers kept so far follow. */
    private static void shiftAfterExpunge(Map<Integer, FetchResponse> bySequence, int expunged) {
        Map<Integer, FetchResponse> shifted = new LinkedHashMap<>();
        bySequence.forEach((seq, fr) -> {
            if (seq != expunged) {
                shifted.put(seq > expunged ? seq - 1 : seq, fr);
            }
        });
        bySequence.clear();
        bySequence.putAll(shifted);
    }

    /**
     * Flag changes the server announced by sequence number only. Without QRESYNC, Dovecot reports a change pending
     * for this connection as an unsolicited {@code * n FETCH (FLAGS ...)} and leaves it out of the UID FETCH's own
     * answer: one {@code FETCH n (UID)} tells whose they are.
     */
    private static List<FlagsOf> withUids(IMAPProtocol p, Map<Integer, FetchResponse> bySequence) throws ProtocolException {
        if (bySequence.isEmpty()) {
            return List.of();
        }
        String set = String.join(",", bySequence.keySet().stream().map(String::valueOf).toList());
        Response[] responses = p.command("FETCH " + set + " (UID)", null);
        List<FlagsOf> out = new ArrayList<>();
        for (int i = 0; i < responses.length - 1; i++) {
            if (responses[i] instanceof FetchResponse fr && fr.getItem(UID.class) != null && bySequence.containsKey(fr.getNumber())) {
                out.add(flagsOf(fr.getItem(UID.class).uid, bySequence.get(fr.getNumber())));
                responses[i] = null;
            }
        }
        UidCommands.finish(p, responses);
        return out;
    }

    /**
     * The folder's HIGHESTMODSEQ now, by STATUS (Angus keeps only the SELECT's value). RFC 3501 advises against
     * STATUS on the selected folder because some servers answer from a stale view; Dovecot and Cyrus do not.
     */
    public static long highestModSeq(IMAPFolder folder) throws MessagingException {
        String name = folder.getFullName();
        return (Long) folder.doCommand(p -> p.status(name, new String[] { "HIGHESTMODSEQ" }).highestmodseq);
    }

    /** {@code UID SEARCH UID <set>}: which UIDs of the set are still in the folder (expunges without QRESYNC). */
    public static List<Long> present(IMAPFolder folder, String uidSet) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<Long> uids = (List<Long>) folder.doCommand(p -> {
            Response[] responses = p.command("UID SEARCH UID " + uidSet, null);
            List<Long> found = new ArrayList<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    for (long uid = ir.readLong(); uid != -1; uid = ir.readLong()) {
                        found.add(uid);
                    }
                    responses[i] = null;
                }
            }
            UidCommands.finish(p, responses);
            return found;
        });
        return uids;
    }

    /** A folder's UIDVALIDITY and HIGHESTMODSEQ as STATUS reports them (for a SELECT with QRESYNC). */
    public record Status(long uidValidity, long highestModSeq) {
    }

    /** STATUS of a folder that is not selected: what a SELECT with QRESYNC passes as "nothing since now". */
    public static Status status(IMAPFolder closedFolder) throws MessagingException {
        return new Status(closedFolder.getUIDValidity(), closedFolder.getHighestModSeq());
    }
}
