package io.mailbridge.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;

/**
 * Connection settings as a user writes them: {@code camel.component.rabbitmq.*} for every endpoint,
 * the same option on one endpoint's URI for that endpoint only.
 */
class RabbitMqConfigurationTest {

    @Test
    void componentSettingsReachEveryEndpointAndAnUriOptionOverridesThemForItsEndpointOnly() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RabbitMqComponent component = context.getComponent("rabbitmq", RabbitMqComponent.class);
            // the component's generated configurer, as Camel Main uses it for camel.component.rabbitmq.host=… and .virtual-host=…
            PropertyBindingSupport.build().withCamelContext(context).withTarget(component)
                    .withConfigurer(component.getComponentPropertyConfigurer())
                    .withProperty("host", "broker.example.com").withProperty("virtualHost", "/mail").bind();

            RabbitMqEndpoint plain = context.getEndpoint("rabbitmq:records?routingKey=r", RabbitMqEndpoint.class);
            RabbitMqEndpoint other = context.getEndpoint("rabbitmq:failed?port=5673&username=ops", RabbitMqEndpoint.class);

            assertEquals("broker.example.com", plain.getConfiguration().getHost());
            assertEquals("/mail", plain.getConfiguration().getVirtualHost());
            assertEquals(5672, plain.getConfiguration().getPort());
            assertEquals("guest", plain.getConfiguration().getUsername());
            assertEquals("broker.example.com", other.getConfiguration().getHost());
            assertEquals(5673, other.getConfiguration().getPort());
            assertEquals("ops", other.getConfiguration().getUsername());
            assertEquals(5672, component.getConfiguration().getPort(), "an endpoint's option does not change the component's");
            assertEquals("guest", component.getConfiguration().getUsername());
        }
    }

    @Test
    void camelMainBindsTheDashedComponentKeys() throws Exception {
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        main.addInitialProperty("camel.component.rabbitmq.virtual-host", "/mail");
        main.addInitialProperty("camel.component.rabbitmq.connection-timeout", "2500");
        main.start();
        try {
            RabbitMqComponent component = main.getCamelContext().getComponent("rabbitmq", RabbitMqComponent.class);
            assertEquals("/mail", component.getConfiguration().getVirtualHost());
            assertEquals(2500, component.getConfiguration().getConnectionTimeout());
        } finally {
            main.stop();
        }
    }
}
