package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replicas are alive, so that the accounts can be shared out evenly: each replica renews its
 * row in {@code mailbridge_replica} (see docs/postgresql-schema.sql), with who it is, and counts the
 * rows renewed within one lease. Nothing depends on it for safety (the locks and the fenced checkpoint
 * do that); a wrong count only makes the spread uneven for a while. The database's clock judges
 * liveness here, one clock for every replica. Each beat also learns which replica holds which lock,
 * for health and metrics: at most a quarter lease old.
 */
final class ReplicaRoster {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRoster.class);
    /** Rows of replicas not seen for this many leases are deleted: they died without a clean stop. */
    static final int DEAD_AFTER_LEASES = 3;

    private final DataSource dataSource;
    private final LockFence fence;
    private final ReplicaIdentity identity;
    private volatile int alive = 1;
    /** LOCK_KEY of each lock held now (by the lock registry's rule) -> the holder's replica id. */
    private volatile Map<String, String> holders = Map.of();

    ReplicaRoster(DataSource dataSource, LockFence fence, ReplicaIdentity identity) {
        this.dataSource = dataSource;
        this.fence = fence;
        this.identity = identity;
    }

    /** Replicas seen within the last lease, this one included (at least 1). */
    int alive() {
        return alive;
    }

    /** The replica id holding the lock {@code lockName} as of the last beat, or null when none (or not known). */
    String holder(String lockName) {
        return holders.get(LockFence.lockKey(lockName));
    }

    /** Renews this replica's row, removes dead ones, counts the live ones and reads the holders; a database error keeps the last view. */
    void beat() {
        try (Connection c = dataSource.getConnection()) {
            renew(c);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mailbridge_replica"
                    + " WHERE region = ? AND last_seen < now() - make_interval(secs => ?)")) {
                ps.setString(1, fence.region());
                ps.setDouble(2, DEAD_AFTER_LEASES * fence.lease().toMillis() / 1000.0);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM mailbridge_replica"
                    + " WHERE region = ? AND last_seen > now() - make_interval(secs => ?)")) {
                ps.setString(1, fence.region());
                ps.setDouble(2, fence.lease().toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    alive = Math.max(1, rs.getInt(1));
                }
            }
            holders = readHolders(c);
        } catch (SQLException e) {
            LOG.debug("Replica heartbeat failed; the spread of accounts uses the last count ({})", alive, e);
        }
    }

    private void renew(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mailbridge_replica (region, client_id, last_seen,"
                + " replica_id, host, pid, started_at, management_url) VALUES (?, ?, now(), ?, ?, ?, ?, ?)"
                + " ON CONFLICT (region, client_id) DO UPDATE SET last_seen = now()")) {
            ps.setString(1, fence.region());
            ps.setString(2, fence.clientId());
            ps.setString(3, identity.id());
            ps.setString(4, identity.host());
            ps.setLong(5, identity.pid());
            ps.setTimestamp(6, Timestamp.from(identity.started()));
            ps.setString(7, identity.managementUrl());
            ps.executeUpdate();
        }
    }

    /** Locks renewed within the lease by their holder's clock, as the lock registry judges them (see LockFence). */
    private Map<String, String> readHolders(Connection c) throws SQLException {
        Map<String, String> read = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.LOCK_KEY, coalesce(r.replica_id, l.CLIENT_ID) FROM INT_LOCK l"
                + " LEFT JOIN mailbridge_replica r ON r.region = l.REGION AND r.client_id = l.CLIENT_ID"
                + " WHERE l.REGION = ? AND l.CREATED_DATE >= ?")) {
            ps.setString(1, fence.region());
            ps.setTimestamp(2, Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minus(fence.lease())));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read.put(rs.getString(1).trim(), rs.getString(2).trim());
                }
            }
        }
        return Map.copyOf(read);
    }

    /** Names a lock in {@code mailbridge_lock}, so a SELECT can tell what each INT_LOCK row locks. */
    void name(String lockName, String label) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO mailbridge_lock (region, lock_key, lock_name)"
                        + " VALUES (?, ?, ?) ON CONFLICT (region, lock_key) DO UPDATE SET lock_name = EXCLUDED.lock_name")) {
            ps.setString(1, fence.region());
            ps.setString(2, LockFence.lockKey(lockName));
            ps.setString(3, label);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debug("Could not name the lock {} in mailbridge_lock", lockName, e);
        }
    }

    /** A clean stop: the others need not wait a lease to count one replica fewer. */
    void leave() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM mailbridge_replica WHERE region = ? AND client_id = ?")) {
            ps.setString(1, fence.region());
            ps.setString(2, fence.clientId());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.debug("Could not remove this replica's heartbeat row", e);
        }
    }
}
