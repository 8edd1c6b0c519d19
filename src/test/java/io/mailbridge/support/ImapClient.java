package io.mailbridge.support;

import java.util.Date;
import java.util.Properties;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;

/** A plain IMAP client for preparing and inspecting a test server, the same way for GreenMail and Dovecot. */
public final class ImapClient implements AutoCloseable {

    private final Store store;

    public ImapClient(int port, String user, String password) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "30000");
        store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", port, user, password);
    }

    public void create(String folder) throws MessagingException {
        Folder f = store.getFolder(folder);
        if (!f.exists()) {
            f.create(Folder.HOLDS_MESSAGES);
        }
    }

    /** DELETE and CREATE: the server gives the folder a new UIDVALIDITY. */
    public void recreate(String folder) throws MessagingException {
        Folder f = store.getFolder(folder);
        if (f.exists()) {
            f.delete(true);
        }
        store.getFolder(folder).create(Folder.HOLDS_MESSAGES);
    }

    /** APPENDs with flags and INTERNALDATE; returns the UID when the server reports it (UIDPLUS), else -1. */
    public long append(String folder, MimeMessage message, Flags flags, Date internalDate) throws MessagingException {
        create(folder);
        MimeMessage dated = new MimeMessage(message) {
            @Override
            public Date getReceivedDate() {
                return internalDate;
            }
        };
        dated.setFlags(flags, true);
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        AppendUID[] uids = f.appendUIDMessages(new Message[] { dated });
        return uids != null && uids.length == 1 && uids[0] != null ? uids[0].uid : -1;
    }

    public long uidValidity(String folder) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_ONLY);
        try {
            return f.getUIDValidity();
        } finally {
            f.close(false);
        }
    }

    /** Flags of the message with this UID, or null when it is no longer in the folder. */
    public Flags flags(String folder, long uid) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_ONLY);
        try {
            Message m = f.getMessageByUID(uid);
            return m == null ? null : new Flags(m.getFlags());
        } finally {
            f.close(false);
        }
    }

    /** UID STORE +FLAGS or -FLAGS, as another mail client would. */
    public void setFlags(String folder, long uid, Flags flags, boolean set) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        try {
            f.getMessageByUID(uid).setFlags(flags, set);
        } finally {
            f.close(false);
        }
    }

    /** One UID STORE over every message of the folder, as "mark all as read" in a mail client. */
    public void setFlagsOnAll(String folder, Flags flags) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        try {
            f.setFlags(1, f.getMessageCount(), flags, true);
        } finally {
            f.close(false);
        }
    }

    /** Marks the messages \\Deleted and expunges them, in one EXPUNGE. */
    public void expunge(String folder, long... uids) throws MessagingException {
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        try {
            Message[] messages = f.getMessagesByUID(uids);
            f.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
            f.expunge(messages);
        } finally {
            f.close(false);
        }
    }

    /** UID MOVE (or COPY and expunge) to another folder. */
    public void move(String folder, long uid, String target) throws MessagingException {
        create(target);
        IMAPFolder f = (IMAPFolder) store.getFolder(folder);
        f.open(Folder.READ_WRITE);
        try {
            f.moveMessages(new Message[] { f.getMessageByUID(uid) }, store.getFolder(target));
        } finally {
            f.close(false);
        }
    }

    public int count(String folder) throws MessagingException {
        Folder f = store.getFolder(folder);
        f.open(Folder.READ_ONLY);
        try {
            return f.getMessageCount();
        } finally {
            f.close(false);
        }
    }

    @Override
    public void close() throws MessagingException {
        store.close();
    }
}
