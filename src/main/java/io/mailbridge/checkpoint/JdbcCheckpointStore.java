package io.mailbridge.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints in PostgreSQL (table mailbridge_checkpoint), shared by every replica. A save is one
 * compare-and-set statement: under the same UIDVALIDITY the checkpoint only moves forward; a new
 * UIDVALIDITY replaces it and is recorded as such (previous_uid_validity, uid_validity_changed_at).
 * With a {@link LockFence} the same statement also requires that this replica still holds the
 * account's lock, so a replica that lost it (paused, cut off) cannot move the checkpoint.
 */
public class JdbcCheckpointStore implements CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCheckpointStore.class);

    private static final String LOAD = "SELECT uid_validity, last_uid, last_internal_date FROM mailbridge_checkpoint"
            + " WHERE account = ? AND folder = ?";

    private static final String SAVE = "INSERT INTO mailbridge_checkpoint AS t (account, folder, uid_validity, last_uid,"
            + " last_internal_date, updated_by) SELECT ?, ?, ?, ?, ?, ? WHERE %s"
            + " ON CONFLICT (account, folder) DO UPDATE SET"
            + " uid_validity = EXCLUDED.uid_validity,"
            + " last_uid = EXCLUDED.last_uid,"
            + " last_internal_date = CASE WHEN t.uid_validity = EXCLUDED.uid_validity"
            + "   THEN GREATEST(t.last_internal_date, EXCLUDED.last_internal_date) ELSE EXCLUDED.last_internal_date END,"
            + " previous_uid_validity = CASE WHEN t.uid_validity <> EXCLUDED.uid_validity"
            + "   THEN t.uid_validity ELSE t.previous_uid_validity END,"
            + " uid_validity_changed_at = CASE WHEN t.uid_validity <> EXCLUDED.uid_validity"
            + "   THEN now() ELSE t.uid_validity_changed_at END,"
            + " updated_at = now(),"
            + " updated_by = EXCLUDED.updated_by"
            + " WHERE t.uid_validity <> EXCLUDED.uid_validity OR t.last_uid <= EXCLUDED.last_uid";

    private static final String HELD = "SELECT " + LockFence.HELD;

    private static final String LOAD_CHANGES = "SELECT uid_validity, highest_modseq, messages FROM mailbridge_changes"
            + " WHERE account = ? AND folder = ?";

    private static final String SAVE_CHANGES = "INSERT INTO mailbridge_changes AS t (account, folder, uid_validity,"
            + " highest_modseq, messages, updated_by) SELECT ?, ?, ?, ?, ?, ? WHERE %s"
            + " ON CONFLICT (account, folder) DO UPDATE SET uid_validity = EXCLUDED.uid_validity,"
            + " highest_modseq = EXCLUDED.highest_modseq, messages = EXCLUDED.messages, updated_at = now(),"
            + " updated_by = EXCLUDED.updated_by";

    private final DataSource dataSource;
    private final LockFence fence;
    private final String writer;
    private final String save;
    private final String saveChanges;
    private final Consumer<String> onFenced;

    /** @param fence null: unfenced (one node, or a cluster service whose lock is not in this database) */
    public JdbcCheckpointStore(DataSource dataSource, LockFence fence, String writer) {
        this(dataSource, fence, writer, lockName -> { });
    }

    /** @param onFenced told the lock name when a write was refused because the lock is gone */
    public JdbcCheckpointStore(DataSource dataSource, LockFence fence, String writer, Consumer<String> onFenced) {
        this.dataSource = dataSource;
        this.fence = fence;
        this.writer = writer;
        this.onFenced = onFenced;
        this.save = String.format(SAVE, fence == null ? "TRUE" : LockFence.HELD);
        this.saveChanges = String.format(SAVE_CHANGES, fence == null ? "TRUE" : LockFence.HELD);
    }

    @Override
    public Checkpoint load(String account, String folder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setString(1, account);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Timestamp date = rs.getTimestamp(3);
                return new Checkpoint(rs.getLong(1), rs.getLong(2), date == null ? null : date.toInstant());
            }
        }
    }

    @Override
    public void save(String account, String folder, Checkpoint checkpoint) throws SQLException {
        int updated;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(save)) {
            ps.setString(1, account);
            ps.setString(2, folder);
            ps.setLong(3, checkpoint.uidValidity());
            ps.setLong(4, checkpoint.lastUid());
            if (checkpoint.lastInternalDate() == null) {
                ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setTimestamp(5, Timestamp.from(checkpoint.lastInternalDate()));
            }
            ps.setString(6, writer);
            if (fence != null) {
                fence.bind(ps, 7, LockNames.forAccount(account));
            }
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            refused(account, folder, checkpoint);
        }
    }

    @Override
    public ChangeCheckpoint loadChanges(String account, String folder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOAD_CHANGES)) {
            ps.setString(1, account);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long modseq = rs.getLong(2);
                Long highestModSeq = rs.wasNull() ? null : modseq;
                return new ChangeCheckpoint(rs.getLong(1), highestModSeq, rs.getString(3));
            }
        }
    }

    /** One statement, fenced like {@link #save}: a replica that lost the account's lock writes nothing. */
    @Override
    public void saveChanges(String account, String folder, ChangeCheckpoint changes) throws SQLException {
        int updated;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(saveChanges)) {
            ps.setString(1, account);
            ps.setString(2, folder);
            ps.setLong(3, changes.uidValidity());
            if (changes.highestModSeq() == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, changes.highestModSeq());
            }
            ps.setString(5, changes.messages());
            ps.setString(6, writer);
            if (fence != null) {
                fence.bind(ps, 7, LockNames.forAccount(account));
            }
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            onFenced.accept(LockNames.forAccount(account));
            throw new CheckpointFencedException("change state of " + account + "/" + folder + " not saved: lock "
                    + LockNames.forAccount(account) + " lost to another replica");
        }
    }

    @Override
    public void checkStillOwner(String account) throws SQLException {
        if (fence != null && !holdsLock(account)) {
            onFenced.accept(LockNames.forAccount(account));
            throw new CheckpointFencedException(LockNames.forAccount(account) + " is held by another replica now");
        }
    }

    /** Nothing written: either the lock is gone (fenced) or the stored checkpoint is ahead. */
    private void refused(String account, String folder, Checkpoint checkpoint) throws SQLException {
        if (fence != null && !holdsLock(account)) {
            LOG.warn("{}/{}: checkpoint not moved to uid {}: the database refused the write because this replica no longer"
                    + " holds the lock {} (another replica took over while this one was paused or cut off)",
                    account, folder, checkpoint.lastUid(), LockNames.forAccount(account));
            onFenced.accept(LockNames.forAccount(account));
            throw new CheckpointFencedException("checkpoint of " + account + "/" + folder + " not saved: lock "
                    + LockNames.forAccount(account) + " lost to another replica");
        }
        LOG.warn("{}/{}: checkpoint kept as stored: it is ahead of uid {} and a checkpoint never moves backwards",
                account, folder, checkpoint.lastUid());
    }

    private boolean holdsLock(String account) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(HELD)) {
            fence.bind(ps, 1, LockNames.forAccount(account));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
