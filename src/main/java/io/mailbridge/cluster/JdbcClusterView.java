package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

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

    /**
     * Camel 4.18.0's master: consumer starts the route one second after a grant, from a task that
     * does not look at leadership again (CAMEL-24583, fixed after 4.18.0): a loss reported within
     * that second stops nothing, and the route starts anyway. So a lock is given up for spreading only
     * once its route has started, and every loss is reported a second time after this long. (A first
     * start that fails is retried by Camel every camel.component.master.back-off-delay, 5 s by
     * default; a loss in that time is not covered.)
     */
    static final long MASTER_START_MILLIS = 2000;

    private final LockRegistry registry;
    private final LockFence fence;
    private final ReplicaIdentity identity;
    private final ReplicaRoster roster;
    private final Member local = new Member();
    private volatile boolean leader;
    private volatile long grantedAtNanos;
    /** Counts grants: a repeated loss report is dropped when the lock was granted again meanwhile. */
    private final AtomicLong grants = new AtomicLong();
    private LockRegistryLeaderInitiator initiator;

    JdbcClusterView(JdbcClusterService service, String namespace, LockRegistry registry, LockFence fence,
            ReplicaIdentity identity, ReplicaRoster roster) {
        super(service, namespace);
        this.identity = identity;
        this.roster = roster;
        // beyond its share of the accounts this replica does not try to take another (see FairShareLocks)
        this.registry = new FairShareLocks(registry, () -> leader || service.mayTake(namespace));
        this.fence = fence;
    }

    /** True while this replica holds the namespace's lock. */
    boolean holds() {
        return leader;
    }

    /** True while this replica holds the lock and its route has had the time to start. */
    boolean settled() {
        return leader && System.nanoTime() - grantedAtNanos > MASTER_START_MILLIS * 1_000_000;
    }

    /** Gives the lock up (the route stops here), for another replica with fewer accounts to take. */
    void giveUpForSpread(int held, int share) {
        LockRegistryLeaderInitiator current = initiator;
        if (settled() && current != null) {
            LOG.info("This replica ({}) holds {} accounts, more than its share of {}: it gives {} up for another replica",
                    identity.id(), held, share, getNamespace());
            // the route stops first, while the lock is still held: its last checkpoint commit is accepted. A yield
            // unlocks before it tells onRevoked, so a stop from there would commit without the lock (refused)
            leader = false;
            lost();
            current.getContext().yield();
        }
    }

    /** This replica while it holds the lock, else the replica that holds it as of the last heartbeat (health names it). */
    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leader) {
            return Optional.of(local);
        }
        String holder = roster.holder(getNamespace());
        return holder == null || holder.equals(identity.id()) ? Optional.empty() : Optional.of(new Remote(holder));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        // the lock table names the holder only; the other replicas of the roster do not belong to a namespace
        return getLeader().filter(m -> !m.isLocal()).map(m -> List.of(local, m)).orElse(List.of(local));
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
            boolean was = leader;
            leader = false;
            if (was) {
                LOG.info("This replica ({}) lost {} while it was not looking: its route stops here", identity.id(),
                        getNamespace());
            }
            // also when it had already lost it: a route that started late (see MASTER_START_MILLIS) stops here
            lost();
            LockRegistryLeaderInitiator current = initiator;
            if (current != null) {
                current.getContext().yield();
            }
        }, "mailbridge-fenced-" + getNamespace());
        t.setDaemon(true);
        t.start();
    }

    /** Reports the loss now, and again once a route start scheduled before it would have happened. */
    private void lost() {
        long grant = grants.get();
        fireLeadershipChangedEvent((CamelClusterMember) null);
        // no lock held while the event stops a consumer; a grant since then (counted) cancels the repeat, and a
        // grant racing it is safe: Camel starts that route a second later, and a loss before that stops nothing
        ((JdbcClusterService) getClusterService()).later(() -> {
            if (!leader && grants.get() == grant && isRunAllowed()) {
                fireLeadershipChangedEvent((CamelClusterMember) null);
            }
        }, MASTER_START_MILLIS);
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
            grants.incrementAndGet();
            grantedAtNanos = System.nanoTime();
            leader = true;
            LOG.info("This replica ({}) now holds {}: its route runs here", identity.id(), getNamespace());
            fireLeadershipChangedEvent(local);
        }

        /** On the lock registry's thread, before it unlocks: the route has stopped when another replica can take over. */
        @Override
        public void onRevoked(Context ctx) {
            leader = false;
            LOG.info("This replica ({}) no longer holds {}: its route stops here", identity.id(), getNamespace());
            lost();
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
            return identity.id();
        }
    }

    /** The replica holding the lock elsewhere, by its replica id. */
    private record Remote(String getId) implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public boolean isLocal() {
            return false;
        }
    }
}
