package io.mailbridge.component;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;

/**
 * Who runs a {@code master:} route, as the context's cluster service sees it, for health details that
 * name the replica doing the work ({@code STANDBY: read by <replica-id>}).
 */
public final class LockHolders {

    private LockHolders() {
    }

    /**
     * How another replica stands for the route {@code routeId} that does not run here: {@code by <replica-id>}
     * where the cluster service knows the holder, {@code by no replica now} where nobody holds the lock, else
     * {@code by another replica}.
     */
    public static String standby(CamelContext context, String routeId) {
        Optional<CamelClusterMember> leader = leader(context, routeId);
        if (leader == null) {
            return "by another replica";
        }
        return leader.filter(m -> !m.isLocal()).map(m -> "by " + m.getId()).orElse(leader.isPresent()
                ? "by this replica, starting" : "by no replica now");
    }

    /** True while this replica holds the lock of the {@code master:} route {@code routeId}. */
    public static boolean runsHere(CamelContext context, String routeId) {
        Optional<CamelClusterMember> leader = leader(context, routeId);
        return leader != null && leader.isPresent() && leader.get().isLocal();
    }

    /** The lock's holder; null when the route is not under a cluster service (nothing known). */
    private static Optional<CamelClusterMember> leader(CamelContext context, String routeId) {
        CamelClusterService service = context.hasService(CamelClusterService.class);
        Route route = context.getRoute(routeId);
        if (service == null || route == null) {
            return null;
        }
        String uri = route.getEndpoint().getEndpointUri();
        if (!uri.startsWith("master:")) {
            return null;
        }
        String rest = uri.substring("master:".length()).replaceFirst("^//", "");
        String namespace = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
        // getView would create a view for an unknown namespace: only ask about the ones the routes made
        if (!service.getNamespaces().contains(namespace)) {
            return null;
        }
        try {
            return service.getView(namespace).getLeader();
        } catch (Exception e) {
            return null;
        }
    }
}
