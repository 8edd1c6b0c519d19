package io.mailbridge.cluster;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A CamelClusterService over Spring Integration's JDBC lock (INT_LOCK in PostgreSQL): each
 * namespace ({@code master:<namespace>:…}) is one lock, held by at most one replica at a time.
 */
public class JdbcClusterService extends AbstractCamelClusterService<JdbcClusterView> {

    private final DefaultLockRepository repository;
    private final JdbcLockRegistry registry;
    private final LockFence fence;

    public JdbcClusterService(DataSource dataSource, LockFence fence) {
        super("mailbridge-jdbc-" + fence.clientId());
        this.fence = fence;
        repository = new DefaultLockRepository(dataSource, fence.clientId());
        repository.setRegion(fence.region());
        repository.setTimeToLive((int) fence.lease().toMillis());
        // outside a Spring context these are ours to call
        repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        registry = new JdbcLockRegistry(repository);
        // a standby asks the database this often whether the lock expired: takeover = lease + this
        registry.setIdleBetweenTries(Duration.ofMillis(Math.max(100, fence.lease().toMillis() / 20)));
    }

    @Override
    protected JdbcClusterView createView(String namespace) {
        return new JdbcClusterView(this, namespace, registry, fence);
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

    @Override
    protected void doStart() throws Exception {
        repository.start(); // fails here, at startup, when the lock table is missing
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // a clean stop frees this replica's locks at once, so the others need not wait for the lease
        repository.close();
    }
}
