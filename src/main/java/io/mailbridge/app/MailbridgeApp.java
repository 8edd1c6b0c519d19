package io.mailbridge.app;

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
        main.configure().addConfiguration(MailbridgeConfiguration.class);
        main.configure().addRoutesBuilder(new ErrorHandling());
        main.configure().addRoutesBuilder(new ErrorHandling.FailureRoutes());
        // one route per mailbox, from the mailbox template in routes/inbound.camel.yaml
        main.addMainListener(new io.mailbridge.accounts.AccountRoutes());
        return main;
    }
}
