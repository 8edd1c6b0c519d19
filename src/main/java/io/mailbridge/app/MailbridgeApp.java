package io.mailbridge.app;

import io.mailbridge.cluster.ReplicationListener;
import io.mailbridge.component.StreamProviderPin;
import org.apache.camel.main.Main;

/**
 * Starts mailbridge: Camel Main with application.properties and routes/*.camel.yaml from the
 * working directory, the Java DSL error handling, and the configuration that binds the beans.
 */
public final class MailbridgeApp {

    private MailbridgeApp() {
    }

    public static void main(String[] args) throws Exception {
        Main main = create();
        int code = main.run(args);
        System.exit(code);
    }

    /** A configured, not yet started Main; tests use it too, so they run what users run. */
    public static Main create() {
        StreamProviderPin.apply();
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties;optional=true");
        // replicas: cluster service and shared stores, set up before Main configures the routes
        main.addMainListener(new ReplicationListener());
        main.configure().addConfiguration(MailbridgeConfiguration.class);
        main.configure().addRoutesBuilder(new ErrorHandling());
        main.configure().addRoutesBuilder(new ErrorHandling.FailureRoutes());
        return main;
    }
}
