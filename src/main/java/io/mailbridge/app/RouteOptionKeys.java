package io.mailbridge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.accounts.AccountRoutes;
import io.mailbridge.component.OptionCatalog;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Which {@code mail.*} key each option of a mailbridge endpoint takes its value from, read from the route
 * files themselves ({@code port: "{{mail.imap.port}}"}, {@code mailbridge-smtp:{{mail.smtp.host}}:{{mail.smtp.port}}}),
 * so that an option Camel cannot bind is reported by the key the user wrote.
 */
public final class RouteOptionKeys {

    /** Option {@code option} of endpoint scheme {@code scheme} is bound to the property {@code key}. */
    public record Binding(String scheme, String option, String key) {
    }

    /** A whole value that is one placeholder, optionally inside RAW(...): {{key}} or {{key:default}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?:RAW\\()?\\{\\{([^:}]+)(?::[^}]*)?}}\\)?");
    /** A colon that separates path parts, not one inside a placeholder's default. */
    private static final String PATH_SEPARATOR = ":(?![^{]*}})";

    private RouteOptionKeys() {
    }

    /** The bindings of the endpoints in these YAML route files whose scheme has a catalog. */
    public static List<Binding> read(List<String> yamlRouteFiles, Map<String, OptionCatalog> catalogs) {
        List<Binding> bindings = new ArrayList<>();
        for (String yaml : yamlRouteFiles) {
            for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
                collect(document, catalogs, bindings);
            }
        }
        return bindings;
    }

    private static void collect(Object node, Map<String, OptionCatalog> catalogs, List<Binding> bindings) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("uri") instanceof String uri) {
                endpoint(uri, map.get("parameters"), catalogs, bindings);
            }
            map.values().forEach(child -> collect(child, catalogs, bindings));
        } else if (node instanceof List<?> list) {
            list.forEach(child -> collect(child, catalogs, bindings));
        }
    }

    private static void endpoint(String uri, Object parameters, Map<String, OptionCatalog> catalogs, List<Binding> bindings) {
        int colon = uri.indexOf(':');
        OptionCatalog catalog = colon < 0 ? null : catalogs.get(uri.substring(0, colon));
        if (catalog == null) {
            return;
        }
        int query = uri.indexOf('?');
        String[] path = uri.substring(colon + 1, query < 0 ? uri.length() : query).split(PATH_SEPARATOR);
        for (int i = 0; i < path.length && i < catalog.pathOptions().size(); i++) {
            bind(catalog, catalog.pathOptions().get(i), path[i], bindings);
        }
        if (query >= 0) {
            for (String pair : uri.substring(query + 1).split("&")) {
                String[] nameValue = pair.split("=", 2);
                bind(catalog, nameValue[0], nameValue.length > 1 ? nameValue[1] : "", bindings);
            }
        }
        if (parameters instanceof Map<?, ?> map) {
            map.forEach((name, value) -> bind(catalog, String.valueOf(name), String.valueOf(value), bindings));
        }
    }

    private static void bind(OptionCatalog catalog, String option, String value, List<Binding> bindings) {
        Matcher m = PLACEHOLDER.matcher(value.trim());
        if (!m.matches()) {
            return;
        }
        String key = m.group(1).trim();
        if (!key.contains(".")) {
            // a parameter of the mailbox route template: AccountRoutes fills it from mail.imap.<key> (or an account's)
            String suffix = AccountRoutes.TEMPLATE_KEYS.get(key);
            if (suffix == null) {
                return;
            }
            key = "mail.imap." + suffix;
        }
        bindings.add(new Binding(catalog.scheme(), option, key));
    }
}
