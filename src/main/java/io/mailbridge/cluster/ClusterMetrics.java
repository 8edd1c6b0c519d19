package io.mailbridge.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import io.mailbridge.checkpoint.LockNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * What this replica does, on {@code /observe/metrics}: {@code mailbridge_replica_info{replica}} (always 1),
 * {@code mailbridge_cluster_replicas} (live replicas in the roster) and, per lock this replica knows,
 * {@code mailbridge_cluster_lock_held{lock}}: 1 where it holds it, else 0. Summed over the replicas, a lock
 * at 0 is work nobody does. Nothing is published when metrics are off.
 */
final class ClusterMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static ClusterMetrics register(CamelContext context, String replicaId, IntSupplier alive) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        ClusterMetrics metrics = new ClusterMetrics(registry);
        if (registry != null) {
            metrics.meters.add(Gauge.builder("mailbridge.replica.info", () -> 1).tag("replica", replicaId)
                    .description("This replica's id (mail.cluster.replica-id); always 1").register(registry));
            metrics.meters.add(Gauge.builder("mailbridge.cluster.replicas", alive::getAsInt)
                    .description("Replicas alive in the roster (heartbeat within one lease), this one included").register(registry));
        }
        return metrics;
    }

    /** The lock of {@code namespace}: 1 while {@code held}. */
    void lock(String namespace, BooleanSupplier held) {
        if (registry != null) {
            meters.add(Gauge.builder("mailbridge.cluster.lock.held", () -> held.getAsBoolean() ? 1 : 0)
                    .tag("lock", LockNames.label(namespace))
                    .description("1 where this replica holds the lock (an account's or the outbound one), else 0").register(registry));
        }
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
    }
}
