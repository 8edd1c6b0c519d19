package io.mailbridge.cluster;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * One namespace of the {@link JdbcClusterService}: a LockRegistryLeaderInitiator competes for the
 * lock named after the namespace, and its grant/revoke callbacks become Camel leadership events,
 * which start and stop the {@code master:} route's consumer.
 */
public class JdbcClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcClusterView.class);

    private final LockRegistry registry;
    private final LockFence fence;
    private final Member local = new Member();
    private volatile boolean leader;
    private LockRegistryLeaderInitiator initiator;

    JdbcClusterView(JdbcClusterService service, String namespace, LockRegistry registry, LockFence fence) {
        super(service, namespace);
        // beyond its share of the accounts this replica does not try to take another (see FairShareLocks)
        this.registry = new FairShareLocks(registry, () -> leader || service.mayTake(namespace));
        this.fence = fence;
    }

    /** True while this replica holds the namespace's lock. */
    boolean holds() {
        return leader;
    }

    /** Gives the lock up (the route stops here), for another replica with fewer accounts to take. */
    void giveUpForSpread(int held, int share) {
        LockRegistryLeaderInitiator current = initiator;
        if (leader && current != null) {
            LOG.info("This replica ({}) holds {} accounts, more than its share of {}: it gives {} up for another replica",
                    fence.clientId(), held, share, getNamespace());
            current.getContext().yield();
        }
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local); // the lock table names the holder only; other replicas are not known
    }

    @Override
    protected void doStart() {
        initiator = new LockRegistryLeaderInitiator(registry, new Candidate());
        initiator.setHeartBeatMillis(fence.renewEveryMillis());
        initiator.setBusyWaitMillis(fence.retryEveryMillis());
        initiator.setTaskExecutor(new SimpleAsyncTaskExecutor("mailbridge-leader-" + getNamespace() + "-"));
        initiator.start();
    }

    /**
     * The database refused a fenced write: this replica lost the lock while it was not looking
     * (paused, cut off). Stops the route now rather than at the lock registry's next renewal, which
     * can be up to a quarter lease away (the route would go on polling from its old checkpoint), and
     * makes the registry give the lock up, so a later grant is reported afresh.
     */
    void fenced() {
        // not on the caller's thread: that is the route's poll thread, and stopping a consumer waits for it
        Thread t = new Thread(() -> {
            if (leader) {
                leader = false;
                LOG.info("This replica ({}) lost {} while it was not looking: its route stops here", fence.clientId(),
                        getNamespace());
                fireLeadershipChangedEvent((CamelClusterMember) null);
            }
            LockRegistryLeaderInitiator current = initiator;
            if (current != null) {
                current.getContext().yield();
            }
        }, "mailbridge-fenced-" + getNamespace());
        t.setDaemon(true);
        t.start();
    }

    @Override
    protected void doStop() {
        if (initiator != null) {
            initiator.stop();
            initiator = null;
        }
    }

    private final class Candidate extends DefaultCandidate {

        Candidate() {
            super(fence.clientId(), getNamespace());
        }

        @Override
        public void onGranted(Context ctx) {
            leader = true;
            LOG.info("This replica ({}) now holds {}: its route runs here", fence.clientId(), getNamespace());
            fireLeadershipChangedEvent(local);
        }

        @Override
        public void onRevoked(Context ctx) {
            leader = false;
            LOG.info("This replica ({}) no longer holds {}: its route stops here", fence.clientId(), getNamespace());
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }

    private final class Member implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return fence.clientId();
        }
    }
}
