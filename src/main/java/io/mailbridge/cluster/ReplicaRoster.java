package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replicas are alive, so that the accounts can be shared out evenly: each replica renews its
 * row in {@code mailbridge_replica} (see docs/postgresql-schema.sql) and counts the rows renewed
 * within one lease. Nothing depends on it for safety (the locks and the fenced checkpoint do that);
 * a wrong count only makes the spread uneven for a while. The database's clock judges liveness here,
 * one clock for every replica.
 */
final class ReplicaRoster {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRoster.class);

    private final DataSource dataSource;
    private final LockFence fence;
    private volatile int alive = 1;

    ReplicaRoster(DataSource dataSource, LockFence fence) {
        this.dataSource = dataSource;
        this.fence = fence;
    }

    /** Replicas seen within the last lease, this one included (at least 1). */
    int alive() {
        return alive;
    }

    /** Renews this replica's row and counts the live ones; a database error keeps the last count. */
    void beat() {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mailbridge_replica (region, client_id, last_seen)"
                    + " VALUES (?, ?, now()) ON CONFLICT (region, client_id) DO UPDATE SET last_seen = now()")) {
                ps.setString(1, fence.region());
                ps.setString(2, fence.clientId());
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
        } catch (SQLException e) {
            LOG.debug("Replica heartbeat failed; the spread of accounts uses the last count ({})", alive, e);
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
