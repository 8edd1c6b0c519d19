package io.mailbridge.imap.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UID commands mailbridge sends on a selected folder (SEARCH, FETCH, sizes, STORE/MOVE/EXPUNGE),
 * written against Angus' protocol object so that bulk responses are parsed once and unsolicited
 * responses (EXISTS, EXPUNGE, flag updates) still reach the folder's own handlers.
 */
public final class UidCommands {

    private static final Logger LOG = LoggerFactory.getLogger(UidCommands.class);

    private UidCommands() {
    }

    /**
     * The highest UID in the selected folder, 0 when empty, -1 when unknown: {@code NOOP}, then
     * {@code UID FETCH * (UID)}. The NOOP is what makes Dovecot look into a Maildir for mail another
     * program delivered (Postfix, procmail): a FETCH alone syncs the mailbox the fast way and saw such
     * mail 3-4 s late (DovecotWithoutIdleTest). It also meets a dead connection first.
     */
    public static long lastUid(IMAPFolder folder) throws MessagingException {
        long highest = (Long) folder.doCommand(p -> {
            p.noop();
            for (int attempt = 1; ; attempt++) {
                Response[] responses = p.command("UID FETCH * (UID)", null);
                long last = 0;
                int lastSeq = 0;
                int exists = 0;
                for (int i = 0; i < responses.length - 1; i++) {
                    if (responses[i] instanceof FetchResponse fr && fr.getItem(UID.class) != null) {
                        last = Math.max(last, fr.getItem(UID.class).uid);
                        lastSeq = Math.max(lastSeq, fr.getNumber());
                        responses[i] = null;
                    } else if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("EXISTS")) {
                        exists = Math.max(exists, ir.getNumber());
                    }
                }
                Response result = responses[responses.length - 1];
                responses[responses.length - 1] = null;
                p.notifyResponseHandlers(responses); // EXISTS/EXPUNGE updates keep the message count current
                // Dovecot answers "*" from the session's old view and announces new mail after it
                // (* 2 FETCH (UID 2), * 3 EXISTS): ask again, or an IDLE wake-up would find nothing
                if (exists > lastSeq && attempt < 3) {
                    continue;
                }
                if (result.isBYE()) {
                    // a dead connection answers with Angus' synthetic BYE: raise it (as FolderClosedException), so
                    // the caller selects the folder again instead of going on to a SEARCH on a closed connection
                    p.handleResult(result);
                }
                return result.isOK() ? last : -1L;
            }
        });
        // "*" in an empty folder: some servers answer NO or BAD
        return highest < 0 && folder.getMessageCount() == 0 ? 0 : highest;
    }

    /** {@code UID SEARCH UID from:* <criteria>}, filtered to UIDs >= from ({@code n:*} always holds the last UID). */
    public static List<Long> search(IMAPFolder folder, long fromUid, SearchExpression search) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<Long> uids = (List<Long>) folder.doCommand(p -> {
            Argument args = new Argument();
            if (search.needsUtf8()) {
                args.writeAtom("CHARSET");
                args.writeAtom("UTF-8");
            }
            args.writeAtom("UID");
            args.writeAtom(fromUid + ":*");
            search.appendTo(args);
            Response[] responses = p.command("UID SEARCH", args);
            List<Long> found = new ArrayList<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    long uid;
                    while ((uid = ir.readLong()) != -1) {
                        if (uid >= fromUid) {
                            found.add(uid);
                        }
                    }
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return found;
        });
        return uids.stream().sorted().distinct().toList();
    }

    /** {@code UID FETCH set (UID RFC822.SIZE)}: the size of each message still there. */
    public static Map<Long, Long> sizes(IMAPFolder folder, List<Long> uids) throws MessagingException {
        @SuppressWarnings("unchecked")
        Map<Long, Long> sizes = (Map<Long, Long>) folder.doCommand(p -> {
            Response[] responses = p.command("UID FETCH " + uidSet(uids) + " (UID RFC822.SIZE)", null);
            Map<Long, Long> out = new HashMap<>();
            for (int i = 0; i < responses.length - 1; i++) {
                if (responses[i] instanceof FetchResponse fr && fr.getItem(UID.class) != null
                        && fr.getItem(RFC822SIZE.class) != null) {
                    out.put(fr.getItem(UID.class).uid, fr.getItem(RFC822SIZE.class).size);
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return out;
        });
        return sizes;
    }

    /** Whole messages (or their headers, per fetch mode) with UID, flags, INTERNALDATE and size, ascending UID. */
    public static List<FetchedMessage> fetch(IMAPFolder folder, List<Long> uids, FetchMode mode) throws MessagingException {
        return fetchCommand(folder, "UID FETCH " + uidSet(uids) + " (UID FLAGS INTERNALDATE RFC822.SIZE " + mode.fetchItem() + ")");
    }

    /** One piece of a message's bytes; the first piece also brings its flags, INTERNALDATE and size. */
    public static List<FetchedMessage> fetchPiece(IMAPFolder folder, long uid, long offset, int length) throws MessagingException {
        String items = offset == 0 ? "UID FLAGS INTERNALDATE RFC822.SIZE " : "UID ";
        return fetchCommand(folder, "UID FETCH " + uid + " (" + items + "BODY.PEEK[]<" + offset + "." + length + ">)");
    }

    private static List<FetchedMessage> fetchCommand(IMAPFolder folder, String command) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<FetchedMessage> fetched = (List<FetchedMessage>) folder.doCommand(p -> {
            Response[] responses = p.command(command, null);
            List<FetchedMessage> out = new ArrayList<>();
            for (int i = 0; i < responses.length - 1; i++) {
                FetchedMessage message = responses[i] instanceof FetchResponse fr ? fetchedMessage(fr) : null;
                if (message != null) {
                    out.add(message);
                    responses[i] = null;
                }
            }
            finish(p, responses);
            return out;
        });
        fetched.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return fetched;
    }

    /** The message in a FETCH response, or null for an unsolicited flag update (left to the folder's handlers). */
    private static FetchedMessage fetchedMessage(FetchResponse fr) {
        UID uid = fr.getItem(UID.class);
        BODY body = fr.getItem(BODY.class);
        if (uid == null || body == null) {
            return null;
        }
        FLAGS flags = fr.getItem(FLAGS.class);
        INTERNALDATE date = fr.getItem(INTERNALDATE.class);
        RFC822SIZE size = fr.getItem(RFC822SIZE.class);
        byte[] content = body.getByteArray() == null ? new byte[0] : body.getByteArray().getNewBytes();
        return new FetchedMessage(uid.uid, imapFlags(flags),
                date == null || date.getDate() == null ? null : date.getDate().toInstant(),
                size == null ? content.length : size.size, content, null);
    }

    /** Marks, moves or deletes delivered messages as the post-action says. */
    public static void apply(IMAPFolder folder, PostAction action, List<Long> uids) throws MessagingException {
        if (uids.isEmpty() || !action.modifiesMailbox()) {
            return;
        }
        UIDSet[] sets = uidSets(uids);
        String set = UIDSet.toString(sets);
        folder.doCommand(p -> {
            switch (action.kind()) {
                case SEEN -> p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (\\Seen)", null);
                case FLAG -> p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (" + action.argument() + ")", null);
                case MOVE -> {
                    Argument target = new Argument().writeString(BASE64MailboxEncoder.encode(action.argument()));
                    if (p.hasCapability("MOVE")) {
                        p.simpleCommand("UID MOVE " + set, target);
                    } else {
                        p.simpleCommand("UID COPY " + set, target);
                        delete(p, set, sets);
                    }
                }
                case DELETE -> delete(p, set, sets);
                default -> { }
            }
            return null;
        });
    }

    private static void delete(IMAPProtocol p, String set, UIDSet[] sets) throws ProtocolException {
        p.simpleCommand("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", null);
        if (p.hasCapability("UIDPLUS")) {
            p.uidexpunge(sets);
        } else {
            // a plain EXPUNGE would also remove messages others marked \Deleted: leave them marked
            LOG.warn("Server has no UIDPLUS: uid {} marked \\Deleted but not expunged", set);
        }
    }

    private static UIDSet[] uidSets(List<Long> uids) {
        return UIDSet.createUIDSets(uids.stream().mapToLong(Long::longValue).toArray());
    }

    /** Compact UID set in IMAP syntax: 3,5:9,12. */
    public static String uidSet(List<Long> sortedUids) {
        return UIDSet.toString(uidSets(sortedUids));
    }

    /** Hands the responses not consumed to the folder's handlers, then raises a NO/BAD/BYE result. */
    static void finish(IMAPProtocol p, Response[] responses) throws ProtocolException {
        Response last = responses[responses.length - 1];
        responses[responses.length - 1] = null;
        p.notifyResponseHandlers(responses);
        p.handleResult(last);
    }

    /** Flags as IMAP writes them: {@code \Seen}, {@code \Flagged}, keywords as they are. */
    public static List<String> imapFlags(Flags flags) {
        List<String> out = new ArrayList<>();
        if (flags == null) {
            return out;
        }
        for (Flags.Flag f : flags.getSystemFlags()) {
            String name = systemFlagName(f);
            if (name != null) {
                out.add(name);
            }
        }
        out.addAll(List.of(flags.getUserFlags()));
        return out;
    }

    private static String systemFlagName(Flags.Flag f) {
        if (f == Flags.Flag.ANSWERED) {
            return "\\Answered";
        } else if (f == Flags.Flag.DELETED) {
            return "\\Deleted";
        } else if (f == Flags.Flag.DRAFT) {
            return "\\Draft";
        } else if (f == Flags.Flag.FLAGGED) {
            return "\\Flagged";
        } else if (f == Flags.Flag.RECENT) {
            return "\\Recent";
        } else if (f == Flags.Flag.SEEN) {
            return "\\Seen";
        }
        return null;
    }
}
