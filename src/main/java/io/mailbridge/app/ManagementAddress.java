package io.mailbridge.app;

import io.mailbridge.config.ManagementServer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before anything starts, stops startup when the management port is taken (Camel would log a WARN and run
 * on without health or metrics, its summary naming a URL that answers from the other process). Once the
 * context started, logs where health and metrics really answer: Camel's own startup summary prints
 * {@code 0.0.0.0} whatever {@code camel.management.host} the server binds.
 */
final class ManagementAddress extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementAddress.class);

    private final boolean probePort;

    /** @param probePort false for {@code --check}, which never starts the server and may run beside an instance that did */
    ManagementAddress(boolean probePort) {
        this.probePort = probePort;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (probePort) {
            ManagementServer.of(main.getCamelContext().getPropertiesComponent()).ifPresent(ManagementServer::requireFreePort);
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        var server = ManagementServer.of(context.getPropertiesComponent());
        if (server.isEmpty()) {
            return;
        }
        String base = server.get().url();
        LOG.info("Health and metrics on {}: readiness /observe/health/ready, liveness /observe/health/live,"
                + " every check /observe/health?data=true, metrics /observe/metrics", base);
    }
}
