package io.mailbridge.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.URISupport;

/**
 * The checkpoint may only move once the broker holds the record, so a sink URI (or component
 * setting) that gives that up is a configuration error: Kafka without {@code acks=all} or without
 * the idempotent producer, JMS with non-persistent delivery.
 */
public final class SinkGuarantees {

    private SinkGuarantees() {
    }

    /** The problems found, each naming the key that holds the value; empty when the sink keeps its guarantees. */
    public static List<String> problems(String key, String uri, PropertiesComponent properties) throws Exception {
        List<String> problems = new ArrayList<>();
        String scheme = SinkHeaders.scheme(uri);
        Map<String, Object> query = URISupport.parseQuery(URISupport.extractQuery(uri));
        if ("kafka".equals(scheme)) {
            require(problems, key, uri, query, properties, "kafka", "requestRequiredAcks", "request-required-acks", "all", "-1");
            require(problems, key, uri, query, properties, "kafka", "enableIdempotence", "enable-idempotence", "true");
        } else if ("jms".equals(scheme)) {
            require(problems, key, uri, query, properties, "jms", "deliveryPersistent", "delivery-persistent", "true");
        }
        return problems;
    }

    private static void require(List<String> problems, String key, String uri, Map<String, Object> query,
            PropertiesComponent properties, String component, String option, String dashed, String... allowed) {
        Object inUri = query.get(option);
        String componentKey = "camel.component." + component + "." + dashed;
        String value = inUri != null ? inUri.toString()
                : properties.resolveProperty(componentKey)
                        .or(() -> properties.resolveProperty("camel.component." + component + "." + option)).orElse(null);
        if (value != null && !List.of(allowed).contains(value.trim().toLowerCase(Locale.ROOT))) {
            problems.add((inUri != null ? key : componentKey) + ": " + option + "=" + value + " would let the checkpoint move"
                    + " before the broker holds the record; remove it (mailbridge needs " + option + "=" + allowed[0] + ")");
        }
    }
}
