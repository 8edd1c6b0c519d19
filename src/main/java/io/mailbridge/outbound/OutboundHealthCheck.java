package io.mailbridge.outbound;

import java.util.Map;

import io.mailbridge.component.LockHolders;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Under a cluster service, the outbound route as this replica runs it: {@code UP} where it holds the
 * outbound lock and sends the outbox, {@code STANDBY: sent by <replica-id>} where another replica does
 * (UP too: standing by is its job), DOWN when the route is stopped. It replaces Camel's route and consumer
 * checks of that route, which say UP and Started on every replica.
 */
public final class OutboundHealthCheck extends AbstractHealthCheck {

    static final String ROUTE = "smtp-outbound";

    public OutboundHealthCheck() {
        super("mailbridge", "outbound");
    }

    /** Registers the check in place of Camel's checks of the outbound route (when health checks are on). */
    public static void register(org.apache.camel.CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null || ((org.apache.camel.model.ModelCamelContext) context).getRouteDefinition(ROUTE) == null) {
            return;
        }
        OutboundHealthCheck check = new OutboundHealthCheck();
        check.setCamelContext(context);
        registry.register(check);
        String exclude = registry.getExcludePattern();
        registry.setExcludePattern((exclude == null || exclude.isEmpty() ? "" : exclude + ",") + "consumer:" + ROUTE + ",route:" + ROUTE);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(ROUTE);
        if (status == null || !status.isStarted()) {
            String why = "route " + ROUTE + " is " + (status == null ? "missing" : status.name().toLowerCase());
            builder.detail("route." + ROUTE, "DOWN: " + why).message(why).down();
            return;
        }
        String standing = LockHolders.runsHere(getCamelContext(), ROUTE) ? "UP"
                : "STANDBY: sent " + LockHolders.standby(getCamelContext(), ROUTE);
        builder.detail("route." + ROUTE, standing).message("outbox: " + standing).up();
    }
}
