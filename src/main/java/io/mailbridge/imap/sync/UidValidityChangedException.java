package io.mailbridge.imap.sync;

import jakarta.mail.MessagingException;

/** The server changed a folder's UIDVALIDITY and the configuration says to stop. */
public class UidValidityChangedException extends MessagingException {

    public UidValidityChangedException(String account, String folder, long was, long now) {
        super("UIDVALIDITY of " + account + " folder " + folder + " changed from " + was + " to " + now
                + " and mail.imap.on-uidvalidity-change=fail: stored progress is void. Decide how to resume, then "
                + "set on-uidvalidity-change to since-last-date, all or now, or delete the folder's checkpoint.");
    }
}
