package io.mailbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
import com.zaxxer.hikari.HikariDataSource;
import io.mailbridge.support.TestDatabase;
import org.apache.camel.cluster.CamelClusterService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup through Camel Main (MailbridgeApp) with the replica keys: refusals by key, and the cluster service in place. */
class ReplicationConfigurationTest {

    @TempDir
    Path data;

    private String startupError(Map<String, String> overrides) {
        return RunningMailbridge.startupError(data, overrides);
    }

    @Test
    void clusterServiceWithTheFileStoreIsRefusedNamingTheKey() {
        String error = startupError(Map.of("mail.cluster.service", "jdbc"));
        assertTrue(error.contains("mail.checkpoint.store = 'file' cannot be used with mail.cluster.service=jdbc"), error);
        error = startupError(Map.of("mail.cluster.service", "file"));
        assertTrue(error.contains("mail.checkpoint.store = 'file' cannot be used with mail.cluster.service=file"), error);
    }

    @Test
    void badValuesAreNamed() {
        String error = startupError(Map.of("mail.checkpoint.store", "jdbc", "mail.cluster.service", "zookeeper",
                "mail.cluster.lease", "soon"));
        assertTrue(error.contains("mail.checkpoint.jdbc.url = '': needs a PostgreSQL JDBC URL"), error);
        assertTrue(error.contains("mail.cluster.service = 'zookeeper': must be one of none, jdbc, kubernetes, file"), error);
        assertTrue(error.contains("mail.cluster.lease = 'soon'"), error);
        error = startupError(Map.of("mail.checkpoint.store", "jdbc", "mail.checkpoint.jdbc.url", "jdbc:postgresql://127.0.0.1/test",
                "mail.cluster.service", "kubernetes"));
        assertTrue(error.contains("mail.cluster.service = 'kubernetes': camel-kubernetes is not on the class path"), error);
    }

    @Test
    void unreachableDatabaseIsNamedByKey() {
        String error = startupError(Map.of("mail.checkpoint.store", "jdbc",
                "mail.checkpoint.jdbc.url", "jdbc:postgresql://127.0.0.1:1/test", "mail.checkpoint.jdbc.username", "postgres"));
        assertTrue(error.contains("mail.checkpoint.jdbc.url: cannot use the database (Connection refused"), error);
    }

    @Test
    void aManagementPortInUseStopsStartupNamingTheKeyAndThePort() throws Exception {
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            long started = System.nanoTime();
            String error = startupError(Map.of("camel.management.enabled", "true", "camel.management.host", "127.0.0.1",
                    "camel.management.port", String.valueOf(port)));
            assertTrue(error.contains("camel.management.port = " + port + ": 127.0.0.1:" + port
                    + " is already in use by another process"), error);
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "refused within seconds");
        }
    }

    @Test
    void aMissingSchemaIsCreated() throws Exception {
        String schema = "mbtest_new_" + Long.toHexString(System.nanoTime());
        try (TestDatabase db = TestDatabase.create()) {
            String url = db.url().replaceFirst("currentSchema=[^&]*", "currentSchema=" + schema);
            try (RunningMailbridge mb = RunningMailbridge.start(data, 1, 1, "u", "p", Map.of("mail.checkpoint.store", "jdbc",
                    "mail.checkpoint.jdbc.url", url, "mail.checkpoint.jdbc.username", TestDatabase.USER));
                    Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
                rs.next();
                assertEquals(6, rs.getInt(1), "the schema and its six tables");
            } finally {
                try (Connection c = db.connect()) {
                    c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    @Test
    void aMissingSchemaTheUserMayNotCreateIsNamedWithTheStatementToRun() throws Exception {
        String role = "mbtest_role_" + Long.toHexString(System.nanoTime());
        try (TestDatabase db = TestDatabase.create(); Connection c = db.connect()) {
            c.createStatement().execute("CREATE ROLE " + role + " LOGIN");
            try {
                String error = startupError(Map.of("mail.checkpoint.store", "jdbc", "mail.checkpoint.jdbc.username", role,
                        "mail.checkpoint.jdbc.url", db.url().replaceFirst("currentSchema=[^&]*", "currentSchema=mbtest_absent")));
                assertTrue(error.contains("mail.checkpoint.jdbc.url: cannot use the database (the schema 'mbtest_absent' of"
                        + " currentSchema does not exist and this database user may not create it"), error);
                assertTrue(error.contains("run CREATE SCHEMA IF NOT EXISTS mbtest_absent; as a user who may"), error);
            } finally {
                c.createStatement().execute("DROP ROLE " + role);
            }
        }
    }

    /** A heartbeat table of an earlier version (no replica columns) is upgraded in place at start, its rows kept. */
    @Test
    void anEarlierHeartbeatTableIsUpgradedInPlaceAndNamesTheReplica() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            try (Connection c = db.connect()) {
                c.createStatement().execute("CREATE TABLE mailbridge_replica (region VARCHAR(100) NOT NULL, client_id VARCHAR(36)"
                        + " NOT NULL, last_seen TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT mailbridge_replica_pk PRIMARY KEY"
                        + " (region, client_id))");
                c.createStatement().execute("INSERT INTO mailbridge_replica VALUES ('mailbridge', 'old-replica', now() + interval '1 hour')");
            }
            try (RunningMailbridge mb = RunningMailbridge.start(data, 1, 1, "u", "p", Map.of("mail.checkpoint.store", "jdbc",
                    "mail.checkpoint.jdbc.url", db.url(), "mail.checkpoint.jdbc.username", TestDatabase.USER,
                    "mail.cluster.service", "jdbc", "mail.cluster.lease", "1s", "mail.cluster.replica-id", "mb-test-1"));
                    Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                            "SELECT client_id, replica_id, host, pid, started_at FROM mailbridge_replica ORDER BY client_id")) {
                java.util.List<String> rows = new java.util.ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1).length() == 36 ? rs.getString(2) + " pid=" + (rs.getLong(4) == ProcessHandle.current().pid())
                            + " started=" + (rs.getTimestamp(5) != null) + " host=" + (rs.getString(3) != null) : rs.getString(1));
                }
                assertEquals(java.util.List.of("mb-test-1 pid=true started=true host=true", "old-replica"), rows);
            }
        }
    }

    /**
     * Tables made by an administrator (docs/scaling.md allows it): a user who may read and write them and create in
     * the schema, but owns none of them, starts; nothing is altered that need not be (ALTER TABLE needs the owner).
     */
    @Test
    void aUserWhoDoesNotOwnTheTablesStarts() throws Exception {
        String role = "mbtest_user_" + Long.toHexString(System.nanoTime());
        try (TestDatabase db = TestDatabase.create()) {
            try (HikariDataSource admin = Database.open(db.url(), TestDatabase.USER, "", java.time.Duration.ofSeconds(2))) {
                Database.createSchema(admin, db.url());
            }
            String schema = db.url().replaceFirst(".*currentSchema=", "");
            try (Connection c = db.connect()) {
                c.createStatement().execute("CREATE ROLE " + role + " LOGIN");
                c.createStatement().execute("GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role);
                c.createStatement().execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
            }
            try (HikariDataSource user = Database.open(db.url(), role, "", java.time.Duration.ofSeconds(2))) {
                Database.createSchema(user, db.url()); // was: "must be owner of table mailbridge_replica"
            } finally {
                try (Connection c = db.connect()) {
                    c.createStatement().execute("DROP OWNED BY " + role);
                    c.createStatement().execute("DROP ROLE " + role);
                }
            }
        }
    }

    @Test
    void aReplicaIdWithSpacesIsRefused() {
        String error = startupError(Map.of("mail.cluster.replica-id", "my replica"));
        assertTrue(error.contains("mail.cluster.replica-id = 'my replica': at most 200 characters, without spaces"), error);
    }

    /** The Camel Main path users run: the service is a context service before the master: routes start. */
    @Test
    void jdbcClusterServiceIsInPlaceAndTheRoutesAreWrapped() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                RunningMailbridge mb = RunningMailbridge.start(data, 1, 1, "u", "p", Map.of(
                        "mail.checkpoint.store", "jdbc", "mail.checkpoint.jdbc.url", db.url(),
                        // read from the environment, with a default: the way a password is given
                        "mail.checkpoint.jdbc.username", "{{env:MAILBRIDGE_TEST_UNSET_DB_USER:" + TestDatabase.USER + "}}",
                        "mail.cluster.service", "jdbc",
                        "mail.cluster.lease", "1s", "mail.imap.account", "sales"))) {
            assertTrue(mb.context().hasService(CamelClusterService.class) instanceof JdbcClusterService);
            assertEquals("master:mailbridge-sales:mailbridge-imap:127.0.0.1", baseUri(mb, "imap-inbound"));
            assertTrue(baseUri(mb, "smtp-outbound").startsWith("master:mailbridge-outbound:file:"), baseUri(mb, "smtp-outbound"));
            CamelClusterService service = mb.context().hasService(CamelClusterService.class);
            RunningMailbridge.await(Duration.ofSeconds(20), () -> service.isLeader("mailbridge-sales"), "leader of its account");
            try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM INT_LOCK WHERE REGION = 'mailbridge'")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "one lock row per account and one for the outbox");
            }
        }
    }

    private static String baseUri(RunningMailbridge mb, String routeId) {
        return mb.context().getRoute(routeId).getEndpoint().getEndpointBaseUri();
    }
}
