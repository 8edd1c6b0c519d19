package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import io.mailbridge.checkpoint.LockNames;
import java.time.Duration;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A CamelClusterService over Spring Integration's JDBC lock (INT_LOCK in PostgreSQL): each
 * namespace ({@code master:<namespace>:…}) is one lock, held by at most one replica at a time.
 */
public class JdbcClusterService extends AbstractCamelClusterService<JdbcClusterView> {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcClusterService.class);

    private final DefaultLockRepository repository;
    private final JdbcLockRegistry registry;
    private final LockFence fence;
    private final ReplicaRoster roster;
    private final ReplicaIdentity identity;
    private ClusterMetrics metrics;
    private ScheduledExecutorService beats;
    /** Delayed leadership events of all the views (JdbcClusterView.lost): one thread, not one per account. */
    private volatile ScheduledExecutorService leadership;

    public JdbcClusterService(DataSource dataSource, LockFence fence, ReplicaIdentity identity) {
        super("mailbridge-jdbc-" + fence.clientId());
        this.fence = fence;
        this.identity = identity;
        this.roster = new ReplicaRoster(dataSource, fence, identity);
        repository = new DefaultLockRepository(dataSource, fence.clientId());
        repository.setRegion(fence.region());
        repository.setTimeToLive((int) fence.lease().toMillis());
        // outside a Spring context these are ours to call
        repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        registry = new JdbcLockRegistry(repository);
        // a standby asks the database this often whether the lock expired: takeover = lease + this
        registry.setIdleBetweenTries(Duration.ofMillis(Math.max(100, fence.retryEveryMillis())));
    }

    @Override
    protected JdbcClusterView createView(String namespace) {
        roster.name(namespace, LockNames.label(namespace));
        JdbcClusterView view = new JdbcClusterView(this, namespace, registry, fence, identity, roster);
        if (metrics != null) {
            metrics.lock(namespace, view::holds);
        }
        return view;
    }

    /** A fenced write for {@code lockName} was refused: its route stops at once (see {@link JdbcClusterView#fenced}). */
    public void fenced(String lockName) {
        if (getNamespaces().contains(lockName)) {
            try {
                ((JdbcClusterView) getView(lockName)).fenced();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Whether this replica may take the lock of {@code namespace} now: always the outbound one; an
     * account's only while it holds fewer than its share, all accounts divided by the live replicas,
     * rounded up. So accounts spread over the replicas, and one left alone takes them all.
     */
    boolean mayTake(String namespace) {
        return !isAccount(namespace) || heldAccounts() < share();
    }

    private static boolean isAccount(String namespace) {
        return !LockNames.OUTBOUND.equals(namespace);
    }

    private int share() {
        long accounts = getNamespaces().stream().filter(JdbcClusterService::isAccount).count();
        int alive = roster.alive(); // once: the heartbeat thread may change it in between
        return (int) Math.max(1, (accounts + alive - 1) / alive);
    }

    /** Runs {@code task} after {@code millis} on the service's leadership thread; not once the service stopped. */
    void later(Runnable task, long millis) {
        ScheduledExecutorService executor = leadership;
        if (executor != null) {
            executor.schedule(task, millis, TimeUnit.MILLISECONDS);
        }
    }

    private int heldAccounts() {
        return (int) accountViews().filter(JdbcClusterView::holds).count();
    }

    /** The account views, in no particular order (on every lock attempt, via mayTake). */
    private java.util.stream.Stream<JdbcClusterView> accountViews() {
        return getNamespaces().stream().filter(JdbcClusterService::isAccount).map(ns -> {
            try {
                return (JdbcClusterView) getView(ns);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every quarter lease: renew this replica's heartbeat, then give up one account above the share. */
    private void beat() {
        roster.beat();
        int held = heldAccounts();
        int share = share();
        if (held > share) {
            accountViews().filter(JdbcClusterView::settled).max(java.util.Comparator.comparing(JdbcClusterView::getNamespace))
                    .ifPresent(view -> view.giveUpForSpread(held, share));
        }
    }

    @Override
    protected void doStart() throws Exception {
        repository.start(); // fails here, at startup, when the lock table is missing
        roster.beat(); // counted before the first lock attempt
        LOG.info("This replica is {} (host {}, pid {}, lock client id {}{}); {} replicas alive", identity.id(), identity.host(),
                identity.pid(), fence.clientId(), identity.managementUrl() == null ? "" : ", health and metrics on "
                + identity.managementUrl(), roster.alive());
        metrics = ClusterMetrics.register(getCamelContext(), identity.id(), roster::alive);
        getNamespaces().forEach(ns -> metrics.lock(ns, () -> isLeader(ns))); // views made before the start
        leadership = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "mailbridge-leadership");
        super.doStart();
        long every = fence.renewEveryMillis();
        beats = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "mailbridge-replica-beat");
        beats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (beats != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(beats);
            beats = null;
        }
        if (leadership != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(leadership);
            leadership = null;
        }
        super.doStop();
        // a clean stop frees this replica's locks at once, so the others need not wait for the lease
        repository.close();
        roster.leave();
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }
}
