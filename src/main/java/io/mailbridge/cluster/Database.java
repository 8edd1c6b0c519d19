package io.mailbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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

    /** Creates the tables that are missing (the DDL is docs/postgresql-schema.sql, run by Spring's ScriptUtils). */
    public static void createSchema(javax.sql.DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                ScriptUtils.executeSqlScript(c, new EncodedResource(new ClassPathResource(SCHEMA, Database.class), StandardCharsets.UTF_8));
                c.commit();
            } catch (SQLException | ScriptException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
