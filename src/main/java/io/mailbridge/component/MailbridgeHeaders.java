package io.mailbridge.component;

/**
 * Exchange headers set by the {@code mailbridge-imap} consumer, so routes can filter or route on a
 * message without parsing its body.
 */
public final class MailbridgeHeaders {
    /** The record key, {@code <account>/<folder>/<uidValidity>/<uid>}. */
    public static final String KEY = "MailbridgeKey";
    public static final String ACCOUNT = "MailbridgeAccount";
    public static final String FOLDER = "MailbridgeFolder";
    public static final String UID_VALIDITY = "MailbridgeUidValidity";
    public static final String UID = "MailbridgeUid";
    /** The message flags in IMAP spelling ({@code \Seen}, keywords as given), a {@code List<String>}. */
    public static final String FLAGS = "MailbridgeFlags";
    /** INTERNALDATE as an ISO-8601 instant. */
    public static final String INTERNAL_DATE = "MailbridgeInternalDate";
    /** RFC822.SIZE as reported by the server. */
    public static final String SIZE = "MailbridgeSize";
    /** The decoded subject, set by the record mapper (for logs and routing). */
    public static final String SUBJECT = "MailbridgeSubject";
    /** What was fetched: {@code full}, {@code headers} or {@code raw} (the {@code mail.imap.fetch} setting). */
    public static final String FETCH = "MailbridgeFetch";
    /** On a change event (mail.imap.changes): {@code flags} or {@code expunged}; absent on a record. */
    public static final String CHANGE = "MailbridgeChange";
    /** On a change event: its id, {@code <key>.flags.<modseq>} or {@code <key>.expunged} (file name, message id). */
    public static final String CHANGE_ID = "MailbridgeChangeId";

    /** The record key, {@code <account>/<folder>/<uidValidity>/<uid>}: of a record and of the changes of its message. */
    public static String recordKey(String account, String folder, long uidValidity, long uid) {
        return account + "/" + folder + "/" + uidValidity + "/" + uid;
    }

    private MailbridgeHeaders() {
    }
}
