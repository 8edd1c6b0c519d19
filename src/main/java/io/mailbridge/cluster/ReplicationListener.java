package io.mailbridge.cluster;

import java.nio.file.Path;

import io.mailbridge.outbound.OutboundHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Sets up {@link Replication} before Camel Main configures anything: the cluster service must be a
 * context service by the time {@code master:} routes start (a bean in the registry alone is found
 * too late: "No cluster service found"), and routes must be wrapped as they are added.
 */
public class ReplicationListener extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        try {
            Replication replication = Replication.open(context.getPropertiesComponent());
            context.getRegistry().bind(Replication.BEAN, replication);
            // services stop in reverse order: the cluster service (which frees its locks) before the pool
            context.addService(new PoolCloser(replication), true, true);
            CamelClusterService service = replication.clusterService(context,
                    Path.of(context.resolvePropertyPlaceholders("{{mail.cluster.file.dir:data/cluster}}")));
            if (service != null) {
                context.addService(service);
                context.getCamelContextExtension().getContextPlugin(Model.class)
                        .addModelLifecycleStrategy(new MasterRouteWrapper(context));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Replication setup failed: " + e.getMessage(), e);
        }
    }

    /** Under a cluster service, the outbound route's health names the replica that sends the outbox. */
    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        if (context.hasService(CamelClusterService.class) != null) {
            OutboundHealthCheck.register(context);
        }
    }

    private static final class PoolCloser extends ServiceSupport {
        private final Replication replication;

        PoolCloser(Replication replication) {
            this.replication = replication;
        }

        @Override
        protected void doStop() {
            replication.close();
        }
    }
}
