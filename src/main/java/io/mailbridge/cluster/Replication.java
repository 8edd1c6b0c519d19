package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbridge.component.Causes;
import io.mailbridge.config.Durations;
import io.mailbridge.config.InvalidConfigurationException;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.checkpoint.FileCheckpointStore;
import io.mailbridge.checkpoint.JdbcCheckpointStore;
import io.mailbridge.outbound.FileSentLedger;
import io.mailbridge.outbound.JdbcSentLedger;
import io.mailbridge.outbound.SentLedger;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this replica shares work with the others, from {@code mail.checkpoint.store} and
 * {@code mail.cluster.*}: where checkpoints and the sent ledger live, which cluster service elects
 * the leader of each account, and whether checkpoint writes are fenced by that leader's lock.
 */
public final class Replication {

    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);
    public static final String BEAN = "mailbridgeReplication";
    private static final java.util.regex.Pattern REPLICA_ID = java.util.regex.Pattern.compile("\\S{0,200}");
    private static final String KUBERNETES_SERVICE = "org.apache.camel.component.kubernetes.cluster.KubernetesClusterService";

    /** The lock client id (INT_LOCK.CLIENT_ID): new at each start, so two replicas given one replica-id never share locks. */
    private final String clientId = UUID.randomUUID().toString();
    private final ReplicaIdentity identity;
    private final String service;
    private final Duration lease;
    private final HikariDataSource dataSource;
    private final LockFence fence;
    /** Set once the jdbc cluster service exists: a refused fenced write stops the account's route through it. */
    private volatile JdbcClusterService jdbcService;

    private Replication(ReplicaIdentity identity, String service, Duration lease, HikariDataSource dataSource) {
        this.identity = identity;
        this.service = service;
        this.lease = lease;
        this.dataSource = dataSource;
        this.fence = "jdbc".equals(service) ? new LockFence(LockFence.REGION, clientId, lease) : null;
    }

    /** Checks the keys (startup fails naming each bad one), opens the database and creates missing tables. */
    public static Replication open(PropertiesComponent properties) throws Exception {
        List<String> problems = new ArrayList<>();
        String store = value(properties, "mail.checkpoint.store", "file").toLowerCase(Locale.ROOT);
        String service = value(properties, "mail.cluster.service", "none").toLowerCase(Locale.ROOT);
        String leaseText = value(properties, "mail.cluster.lease", "10s");
        String url = value(properties, "mail.checkpoint.jdbc.url", "");
        if (!List.of("file", "jdbc").contains(store)) {
            problems.add("mail.checkpoint.store = '" + store + "': must be one of file, jdbc");
        } else if ("jdbc".equals(store) && !url.startsWith("jdbc:postgresql:")) {
            problems.add("mail.checkpoint.jdbc.url = '" + url + "': needs a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://db:5432/mailbridge when mail.checkpoint.store=jdbc");
        }
        if (!List.of("none", "jdbc", "kubernetes", "file").contains(service)) {
            problems.add("mail.cluster.service = '" + service + "': must be one of none, jdbc, kubernetes, file");
        } else if (!"none".equals(service) && "file".equals(store)) {
            problems.add("mail.checkpoint.store = 'file' cannot be used with mail.cluster.service=" + service
                    + ": replicas must share their checkpoints, set mail.checkpoint.store=jdbc");
        } else if ("kubernetes".equals(service) && !onClassPath(KUBERNETES_SERVICE)) {
            problems.add("mail.cluster.service = 'kubernetes': camel-kubernetes is not on the class path (see docs/scaling.md)");
        }
        String replicaId = value(properties, "mail.cluster.replica-id", "");
        if (!REPLICA_ID.matcher(replicaId).matches()) {
            problems.add("mail.cluster.replica-id = '" + replicaId + "': at most 200 characters, without spaces");
        }
        if (Durations.millis(leaseText) < 200) {
            problems.add("mail.cluster.lease = '" + leaseText + "': not a duration such as 10s (at least 200ms)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        if (List.of("kubernetes", "file").contains(service)) {
            LOG.warn("mail.cluster.service={} elects leaders outside the checkpoint database, so checkpoint writes are"
                    + " NOT fenced: a replica that was paused past its lease may still write one late checkpoint and run"
                    + " post-actions. Use mail.cluster.service=jdbc for fenced writes.", service);
        }
        Duration lease = Duration.ofMillis(Durations.millis(leaseText));
        HikariDataSource ds = null;
        if ("jdbc".equals(store)) {
            try {
                ds = Database.open(url, value(properties, "mail.checkpoint.jdbc.username", ""),
                        value(properties, "mail.checkpoint.jdbc.password", ""), lease);
                Database.createSchema(ds, url);
            } catch (RuntimeException | java.sql.SQLException e) {
                if (ds != null) {
                    ds.close();
                }
                // the URL itself is not repeated: it may carry credentials
                throw new InvalidConfigurationException(List.of("mail.checkpoint.jdbc.url: cannot use the database ("
                        + Causes.rootMessage(e) + ")"));
            }
        }
        String management = io.mailbridge.config.ManagementServer.of(properties).map(m -> m.url()).orElse(null);
        return new Replication(ReplicaIdentity.of(replicaId, ReplicaIdentity.reachable(management)), service, lease, ds);
    }

    private static String value(PropertiesComponent properties, String key, String dflt) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(dflt);
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, Replication.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Where the folder sync keeps progress: PostgreSQL (fenced under the jdbc service) or files under {@code dir}. */
    public CheckpointStore checkpointStore(Path dir) {
        if (dataSource == null) {
            return new FileCheckpointStore(dir);
        }
        return new JdbcCheckpointStore(dataSource, fence, clientId, lockName -> {
            if (jdbcService != null) {
                jdbcService.fenced(lockName);
            }
        });
    }

    public SentLedger sentLedger(Path dir) {
        return dataSource == null ? new FileSentLedger(dir) : new JdbcSentLedger(dataSource);
    }

    /** The cluster service for {@code master:}, or null when {@code mail.cluster.service=none}. */
    public CamelClusterService clusterService(CamelContext context, Path fileLockDir) throws Exception {
        long millis = lease.toMillis();
        switch (service) {
            case "jdbc":
                jdbcService = new JdbcClusterService(dataSource, fence, identity);
                return jdbcService;
            case "file": {
                FileLockClusterService file = new FileLockClusterService();
                file.setRoot(fileLockDir.toString());
                // followers take over after interval x 5 (the service's heartbeat multiplier): about one lease
                file.setAcquireLockInterval(Math.max(100, millis / 5), java.util.concurrent.TimeUnit.MILLISECONDS);
                return file;
            }
            case "kubernetes": {
                CamelClusterService k8s = (CamelClusterService) context.getInjector()
                        .newInstance(Class.forName(KUBERNETES_SERVICE));
                PropertyBindingSupport.build().bind(context, k8s, Map.of("leaseDurationMillis", millis,
                        "renewDeadlineMillis", millis * 2 / 3, "retryPeriodMillis", Math.max(100, millis / 5)));
                return k8s;
            }
            default:
                return null;
        }
    }

    /** Closes the pool; the cluster service must have been stopped first (it frees its locks through it). */
    public void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
