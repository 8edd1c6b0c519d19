package io.mailbridge.imap.protocol;

import java.util.ArrayList;
import java.util.List;

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
 * The IMAP commands of change events (RFC 7162): flags changed since a MODSEQ, with the UIDs expunged since
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
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof FetchResponse fr && fr.getItem(UID.class) != null && fr.getItem(FLAGS.class) != null) {
                    MODSEQ m = fr.getItem(MODSEQ.class);
                    flags.add(new FlagsOf(fr.getItem(UID.class).uid, UidCommands.imapFlags(fr.getItem(FLAGS.class)),
                            m == null ? -1 : m.modseq));
                    responses[i] = null;
                } else if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("VANISHED") && earlier(ir)) {
                    for (long uid : UIDSet.toArray(UIDSet.parseUIDSets(ir.readAtom()))) {
                        vanished.add(uid);
                    }
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return new Changes(flags, vanished);
        });
    }

    /** {@code VANISHED (EARLIER) <uids>}: the answer to our query (a plain VANISHED is a live expunge, the folder's). */
    private static boolean earlier(IMAPResponse ir) {
        String[] tag = ir.readAtomStringList();
        return tag != null && tag.length > 0 && tag[0].equalsIgnoreCase("EARLIER");
    }

    /**
     * The folder's HIGHESTMODSEQ now, by STATUS (Angus keeps only the SELECT's value). RFC 3501 advises against
     * STATUS on the selected folder because some servers answer from a stale view; Dovecot and Cyrus do not.
     */
    public static long highestModSeq(IMAPFolder folder) throws MessagingException {
        String name = folder.getFullName();
        return (Long) folder.doCommand(p -> p.status(name, new String[] { "HIGHESTMODSEQ" }).highestmodseq);
    }

    /** The folder's UIDVALIDITY and HIGHESTMODSEQ by STATUS, for opening it with QRESYNC. */
    public static long[] status(IMAPFolder closedFolder) throws MessagingException {
        return new long[] { closedFolder.getUIDValidity(), closedFolder.getHighestModSeq() };
    }

    private static void finish(IMAPProtocol p, Response[] responses) throws ProtocolException {
        Response last = responses[responses.length - 1];
        responses[responses.length - 1] = null;
        p.notifyResponseHandlers(responses);
        p.handleResult(last);
    }
}
