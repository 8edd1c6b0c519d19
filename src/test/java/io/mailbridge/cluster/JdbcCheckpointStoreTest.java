package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import io.mailbridge.checkpoint.LockNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbridge.checkpoint.ChangeCheckpoint;
import io.mailbridge.checkpoint.Checkpoint;
import io.mailbridge.checkpoint.CheckpointFencedException;
import io.mailbridge.checkpoint.JdbcCheckpointStore;
import io.mailbridge.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The shared checkpoint in the machine's PostgreSQL: compare-and-set, UIDVALIDITY changes, and the lock fence. */
class JdbcCheckpointStoreTest {

    private static final String ACCOUNT = "alice@example.com";
    private static final Duration LEASE = Duration.ofSeconds(2);

    private TestDatabase db;
    private HikariDataSource ds;

    @BeforeEach
    void schema() throws Exception {
        db = TestDatabase.create();
        ds = Database.open(db.url(), TestDatabase.USER, "", LEASE);
        Database.createSchema(ds, db.url());
        Database.createSchema(ds, db.url()); // a second start finds the tables and leaves them be
    }

    @AfterEach
    void drop() throws Exception {
        ds.close();
        db.close();
    }

    @Test
    void checkpointNeverMovesBackwardsAndAUidValidityChangeIsRecorded() throws Exception {
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, null, "writer-1");
        assertNull(store.load(ACCOUNT, "INBOX"));
        Instant date = Instant.parse("2026-11-25T10:00:00Z");
        store.save(ACCOUNT, "INBOX", new Checkpoint(7, 100, date));
        store.save(ACCOUNT, "INBOX", new Checkpoint(7, 40, null)); // a late, older write
        assertEquals(new Checkpoint(7, 100, date), store.load(ACCOUNT, "INBOX"));

        store.save(ACCOUNT, "INBOX", new Checkpoint(9, 3, date)); // the server renumbered the folder
        assertEquals(new Checkpoint(9, 3, date), store.load(ACCOUNT, "INBOX"));
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT previous_uid_validity, uid_validity_changed_at FROM mailbridge_checkpoint")) {
            assertTrue(rs.next());
            assertEquals(7, rs.getLong(1));
            assertTrue(rs.getTimestamp(2) != null);
        }
        assertNull(store.load(ACCOUNT, "Other"), "per folder");
    }

    @Test
    void fencedStoreWritesOnlyWhileItsLockIsHeld() throws Exception {
        String me = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        DefaultLockRepository mine = lockRepository(me);
        DefaultLockRepository theirs = lockRepository(other);
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, new LockFence(LockFence.REGION, me, LEASE), me);
        String lock = LockFence.lockKey(LockNames.forAccount(ACCOUNT));

        assertThrows(CheckpointFencedException.class, () -> store.save(ACCOUNT, "INBOX", new Checkpoint(1, 10, null)),
                "nobody holds the lock");
        assertTrue(mine.acquire(lock));
        store.save(ACCOUNT, "INBOX", new Checkpoint(1, 10, null));
        store.checkStillOwner(ACCOUNT);

        Thread.sleep(LEASE.toMillis() + 300); // my lease runs out without renewal; the other replica takes the lock
        assertTrue(theirs.acquire(lock));
        assertThrows(CheckpointFencedException.class, () -> store.save(ACCOUNT, "INBOX", new Checkpoint(1, 20, null)));
        assertThrows(CheckpointFencedException.class, () -> store.checkStillOwner(ACCOUNT));
        assertEquals(10, store.load(ACCOUNT, "INBOX").lastUid(), "the refused write changed nothing");

        JdbcCheckpointStore theirStore = new JdbcCheckpointStore(ds, new LockFence(LockFence.REGION, other, LEASE), other);
        theirStore.save(ACCOUNT, "INBOX", new Checkpoint(1, 15, null));
        assertEquals(15, store.load(ACCOUNT, "INBOX").lastUid());
    }

    /**
     * Change-event state (mail.imap.changes) in its own table, created in a database whose schema predates it (the
     * other tables exist), and fenced by the account's lock like the checkpoint.
     */
    @Test
    void changeStateIsStoredInAnExistingSchemaAndFencedLikeTheCheckpoint() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE mailbridge_changes"); // as a database made by the previous version
        }
        Database.createSchema(ds, db.url()); // the next start adds the table in place
        String me = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String lock = LockFence.lockKey(LockNames.forAccount(ACCOUNT));
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, new LockFence(LockFence.REGION, me, LEASE), me);
        assertNull(store.loadChanges(ACCOUNT, "INBOX"));
        ChangeCheckpoint state = new ChangeCheckpoint(7, 1234L, "\\Seen\t1:40,42\n\t41\n");
        assertThrows(CheckpointFencedException.class, () -> store.saveChanges(ACCOUNT, "INBOX", state), "nobody holds the lock");

        assertTrue(lockRepository(me).acquire(lock));
        store.saveChanges(ACCOUNT, "INBOX", state);
        assertEquals(state, store.loadChanges(ACCOUNT, "INBOX"));
        ChangeCheckpoint withoutCondstore = new ChangeCheckpoint(7, null, "");
        store.saveChanges(ACCOUNT, "INBOX", withoutCondstore);
        assertEquals(withoutCondstore, store.loadChanges(ACCOUNT, "INBOX"));

        Thread.sleep(LEASE.toMillis() + 300);
        assertTrue(lockRepository(other).acquire(lock));
        assertThrows(CheckpointFencedException.class, () -> store.saveChanges(ACCOUNT, "INBOX", state));
        assertEquals(withoutCondstore, store.loadChanges(ACCOUNT, "INBOX"), "the refused write changed nothing");
    }

    @Test
    void expiredLockOfMyOwnIsNotEnough() throws Exception {
        String me = UUID.randomUUID().toString();
        assertTrue(lockRepository(me).acquire(LockFence.lockKey(LockNames.forAccount(ACCOUNT))));
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, new LockFence(LockFence.REGION, me, LEASE), me);
        store.save(ACCOUNT, "INBOX", new Checkpoint(1, 5, null));
        Thread.sleep(LEASE.toMillis() + 300); // paused past the lease: nobody took over yet, but the lease is gone
        assertThrows(CheckpointFencedException.class, () -> store.save(ACCOUNT, "INBOX", new Checkpoint(1, 6, null)));
    }

    private DefaultLockRepository lockRepository(String clientId) {
        DefaultLockRepository repo = new DefaultLockRepository(ds, clientId);
        repo.setRegion(LockFence.REGION);
        repo.setTimeToLive((int) LEASE.toMillis());
        repo.setTransactionManager(new DataSourceTransactionManager(ds));
        repo.afterPropertiesSet();
        repo.afterSingletonsInstantiated();
        return repo;
    }
}
