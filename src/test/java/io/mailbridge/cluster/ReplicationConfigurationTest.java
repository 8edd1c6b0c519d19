package io.mailbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
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
