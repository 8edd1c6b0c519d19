package io.mailbridge.app;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs where health and metrics really answer, once the context started: Camel's own startup summary
 * prints {@code 0.0.0.0} whatever {@code camel.management.host} the server binds.
 */
final class ManagementAddress extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementAddress.class);

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        var pc = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(pc.resolveProperty("camel.management.enabled").orElse("false").trim())) {
            return;
        }
        String host = pc.resolveProperty("camel.management.host").orElse("0.0.0.0").trim();
        String port = pc.resolveProperty("camel.management.port").orElse("9876").trim();
        String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        LOG.info("Health and metrics on {}: readiness /observe/health/ready, liveness /observe/health/live,"
                + " every check /observe/health?data=true, metrics /observe/metrics", base);
    }
}
