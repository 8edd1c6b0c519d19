package io.mailbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/** The PostgreSQL connection pool shared by the checkpoint store, the sent ledger and the lock registry. */
public final class Database {

    /** Serialises concurrent first starts: two replicas creating the same tables at once would collide. */
    private static final long SCHEMA_LOCK = 0x6d61696c62726964L;
    /** docs/postgresql-schema.sql, copied next to this class by the build. */
    private static final String SCHEMA = "postgresql-schema.sql";
    /** A schema name PostgreSQL takes unquoted, folded to lower case as search_path folds it. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    /**
     * @param lease a session left idle inside a transaction this long is ended by the server: a replica
     *              frozen (SIGSTOP, VM pause) in the middle of a lock renewal would otherwise keep the
     *              lock row locked, and no other replica could take over until it woke up
     */
    public static HikariDataSource open(String url, String username, String password, java.time.Duration lease) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (!username.isEmpty()) {
            config.setUsername(username);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setPoolName("mailbridge-db");
        // a few statements per poll and lease renewal: a small pool is plenty
        config.setMaximumPoolSize(6);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + Math.max(500, lease.toMillis() / 2));
        return new HikariDataSource(config);
    }

    /**
     * Creates what is missing: the schema {@code ?currentSchema=} names (when the user may) and the tables
     * (the DDL is docs/postgresql-schema.sql, run by Spring's ScriptUtils).
     */
    public static void createSchema(javax.sql.DataSource dataSource, String url) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                createCurrentSchema(s, url);
                ScriptUtils.executeSqlScript(c, new EncodedResource(new ClassPathResource(SCHEMA, Database.class), StandardCharsets.UTF_8));
                addMissingColumns(s);
                c.commit();
            } catch (SQLException | ScriptException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** Columns added to mailbridge_replica after its first version, with their types. */
    private static final Map<String, String> REPLICA_COLUMNS = new LinkedHashMap<>();

    static {
        REPLICA_COLUMNS.put("replica_id", "VARCHAR(200)");
        REPLICA_COLUMNS.put("host", "VARCHAR(255)");
        REPLICA_COLUMNS.put("pid", "BIGINT");
        REPLICA_COLUMNS.put("started_at", "TIMESTAMP WITH TIME ZONE");
        REPLICA_COLUMNS.put("management_url", "VARCHAR(500)");
    }

    /**
     * Upgrades a mailbridge_replica of an earlier version in place: only the columns it lacks, since ALTER TABLE
     * needs the table's owner even when there is nothing to add, and takes an exclusive lock (bounded here, so a
     * start never hangs behind an operator's open transaction).
     */
    private static void addMissingColumns(Statement s) throws SQLException {
        Set<String> present = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = 'mailbridge_replica'")) {
            while (rs.next()) {
                present.add(rs.getString(1));
            }
        }
        boolean first = true;
        for (var column : REPLICA_COLUMNS.entrySet()) {
            if (!present.contains(column.getKey())) {
                if (first) {
                    s.execute("SET LOCAL lock_timeout = '10s'");
                    first = false;
                }
                s.execute("ALTER TABLE mailbridge_replica ADD COLUMN IF NOT EXISTS " + column.getKey() + " " + column.getValue());
            }
        }
    }

    /**
     * PostgreSQL only says "no schema has been selected to create in" when the schema of {@code currentSchema}
     * does not exist: it is created here, or the error names it and the statement to run.
     */
    private static void createCurrentSchema(Statement s, String url) throws SQLException {
        Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
        String wanted = parsed == null ? null : parsed.getProperty("currentSchema");
        if (wanted == null || wanted.isBlank()) {
            return;
        }
        try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            if (rs.next() && rs.getString(1) != null) {
                return; // one of the schemas exists: the tables go there
            }
        }
        String schema = wanted.split(",")[0].trim();
        boolean plain = IDENTIFIER.matcher(schema).matches();
        String statement = "CREATE SCHEMA IF NOT EXISTS " + (plain ? schema : '"' + schema.replace("\"", "\"\"") + '"');
        if (!plain) { // not run from a configuration value: the operator checks the quoting
            throw new SQLException("the schema '" + schema + "' of currentSchema does not exist: create it (" + statement
                    + ";) or name an existing one");
        }
        s.execute("SAVEPOINT create_schema");
        try {
            s.execute(statement);
            LOG.info("Created the schema {} named by currentSchema in mail.checkpoint.jdbc.url", schema);
        } catch (SQLException e) {
            s.execute("ROLLBACK TO SAVEPOINT create_schema");
            throw new SQLException("the schema '" + schema + "' of currentSchema does not exist and this database user may"
                    + " not create it (" + e.getMessage() + "): run " + statement + "; as a user who may, and grant CREATE"
                    + " on it to mailbridge's user"); // no cause: the startup error shows the innermost message
        }
    }
}
