package io.mailbridge.imap.sync;

import java.util.List;
import java.util.Map;

import io.mailbridge.imap.protocol.PostAction;

/**
 * The changes path beside the new-mail path (mail.imap.changes): what {@link FolderSync} tells it and when.
 * {@link #NONE} when change events are off.
 */
public interface ChangesPath {

    ChangesPath NONE = new ChangesPath() {
        @Override
        public boolean isOn() {
            return false;
        }

        @Override
        public void prepare(String folder, long uidValidity) {
        }

        @Override
        public void delivered(String folder, Map<Long, List<String>> flagsByUid, PostAction after, boolean applied) {
        }

        @Override
        public void sync(String folder) {
        }
    };

    boolean isOn();

    /** Before the folder's new-mail sync, with the UIDVALIDITY the server reports for it now. */
    void prepare(String folder, long uidValidity) throws Exception;

    /**
     * Messages delivered as records, with the flags they were fetched with, and whether the post-action was
     * applied to them; called before the records' checkpoint moves.
     */
    void delivered(String folder, Map<Long, List<String>> flagsByUid, PostAction after, boolean applied) throws Exception;

    /** After the folder's new-mail sync: what changed since the last look. */
    void sync(String folder) throws Exception;
}
