package io.mailbridge.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A schema of its own in the machine's PostgreSQL (database {@code test} on 127.0.0.1:5432, trust
 * auth), so test runs do not see each other's locks and checkpoints; dropped on close.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    private static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String schema;

    private TestDatabase(String schema) {
        this.schema = schema;
    }

    public static TestDatabase create() throws SQLException {
        String schema = "mbtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(BASE, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL at " + BASE + " is not reachable on CI: .ci/run must start it", e);
            }
            org.junit.jupiter.api.Assumptions.abort("PostgreSQL at " + BASE + " (user " + USER + ") is not reachable: " + e.getMessage());
        }
        return new TestDatabase(schema);
    }

    /** The URL mailbridge is given: the schema is the first on the search path, so its tables land there. */
    public String url() {
        return BASE + "?currentSchema=" + schema;
    }

    /** What makes a mailbridge a replica on this database: JDBC checkpoints, the JDBC cluster service, this lease. */
    public java.util.Map<String, String> replicaProperties(String lease) {
        return java.util.Map.of("mail.checkpoint.store", "jdbc", "mail.checkpoint.jdbc.url", url(),
                "mail.checkpoint.jdbc.username", USER, "mail.cluster.service", "jdbc", "mail.cluster.lease", lease);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(BASE, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
