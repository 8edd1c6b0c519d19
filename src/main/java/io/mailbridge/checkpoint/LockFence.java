package io.mailbridge.checkpoint;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.springframework.integration.util.UUIDConverter;

/**
 * The condition "this replica still holds the lock", evaluated inside a write, judged exactly as
 * Spring Integration's DefaultLockRepository judges its own locks: the INT_LOCK row for the lock's
 * key in our region names our CLIENT_ID, and its CREATED_DATE (the holder's own UTC clock at its
 * last renewal) is no older than the lease by our clock. The database's now() is not used, because
 * the lock registry does not use it either.
 *
 * <p>{@code FOR SHARE} makes a replica taking the lock over wait for a fenced write in flight, and a
 * fenced write see the newest lock row, so the check and the write cannot interleave with a takeover.
 */
public record LockFence(String region, String clientId, Duration lease) {

    public static final String REGION = "mailbridge";

    /** SQL boolean expression with four parameters, bound by {@link #bind}. */
    public static final String HELD = "EXISTS (SELECT 1 FROM INT_LOCK l WHERE l.REGION = ? AND l.LOCK_KEY = ?"
            + " AND l.CLIENT_ID = ? AND l.CREATED_DATE >= ? FOR SHARE)";

    /** Binds the four parameters of {@link #HELD} from {@code index}; returns the next free index. */
    public int bind(PreparedStatement ps, int index, String lockName) throws SQLException {
        ps.setString(index, region);
        ps.setString(index + 1, lockKey(lockName));
        ps.setString(index + 2, clientId);
        ps.setTimestamp(index + 3, Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minus(lease)));
        return index + 4;
    }

    /** How often a holder renews its lock, and a replica its heartbeat: four times per lease, so one slow renewal is not fatal. */
    public long renewEveryMillis() {
        return Math.max(100, lease.toMillis() / 4);
    }

    /** How often a replica without the lock asks whether it is free: twenty times per lease. */
    public long retryEveryMillis() {
        return Math.max(50, lease.toMillis() / 20);
    }

    /** LOCK_KEY as JdbcLockRegistry writes it. */
    public static String lockKey(String lockName) {
        return UUIDConverter.getUUID(lockName).toString();
    }
}
