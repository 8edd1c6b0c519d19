package io.mailbridge.app;

import io.mailbridge.cluster.ReplicationListener;
import io.mailbridge.component.StreamProviderPin;
import io.mailbridge.config.InvalidConfigurationException;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.slf4j.LoggerFactory;

/**
 * Starts mailbridge: Camel Main with the layered configuration of {@link ConfigLayers} (built-in
 * defaults and routes, ./application.properties and ./routes/, $MAILBRIDGE_CONFIG, environment),
 * the Java DSL error handling, and the configuration that binds the beans. With {@code --check} it
 * only shows the configuration and asks each server whether it answers ({@link CheckCommand}).
 */
public final class MailbridgeApp {

    private MailbridgeApp() {
    }

    public static void main(String[] args) throws Exception {
        if (CheckCommand.requested(args)) {
            // the check configures Camel but never starts it: it exits before any route or cluster service runs
            System.exit(CheckCommand.run(create(true), System.out));
        }
        Main main = create();
        int code;
        try {
            code = main.run(args);
        } catch (InvalidConfigurationException e) {
            // the problems say what to fix; the stack trace would only bury them
            LoggerFactory.getLogger(MailbridgeApp.class).error(e.getMessage());
            LoggerFactory.getLogger(MailbridgeApp.class).debug("Startup refused", e);
            code = 1;
        }
        // Camel has stopped (run returns after its graceful stop): only now may logging end (log4j2.properties)
        LogManager.shutdown();
        System.exit(code);
    }

    /** A configured, not yet started Main; tests use it too, so they run what users run. */
    public static Main create() {
        return create(false);
    }

    /** @param forCheck for {@code --check}, which may run beside a running instance: its management port is not probed */
    static Main create(boolean forCheck) {
        StreamProviderPin.apply();
        Main main = new Main();
        ConfigLayers layers = ConfigLayers.fromEnvironment();
        LoggerFactory.getLogger(MailbridgeApp.class).info("Configuration: {}", layers);
        main.setPropertyPlaceholderLocations(layers.propertyLocations());
        // a default only: camel.main.routes-include-pattern in any layer still overrides it
        main.configure().setRoutesIncludePattern(layers.routesPattern());
        // first: a taken management port stops startup before anything else is set up
        main.addMainListener(new ManagementAddress(!forCheck));
        // replicas: cluster service and shared stores, set up before Main configures the routes
        main.addMainListener(new ReplicationListener());
        main.configure().addConfiguration(MailbridgeConfiguration.class);
        main.configure().addRoutesBuilder(new ErrorHandling());
        main.configure().addRoutesBuilder(new ErrorHandling.FailureRoutes());
        // one route per mailbox, from the mailbox template in routes/inbound.camel.yaml
        main.addMainListener(new io.mailbridge.accounts.AccountRoutes());
        return main;
    }
}
