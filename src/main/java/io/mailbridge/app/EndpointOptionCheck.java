package io.mailbridge.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mailbridge.accounts.Account;
import io.mailbridge.accounts.AccountRoutes;
import io.mailbridge.app.RouteOptionKeys.Binding;
import io.mailbridge.component.OptionCatalog;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * Binds every endpoint option the routes take from a {@code mail.*} key onto a scratch endpoint, with the
 * configurer Camel itself uses when the route starts. Camel does the converting and the endpoint's setters
 * the checking; this class only names the key, so that all bad values are reported at once and by key
 * ({@code mail.imap.port = 'imap': ...}) rather than as Camel's first failure on option {@code port}.
 */
final class EndpointOptionCheck {

    private static final String ROUTES_PATTERN = "camel.main.routes-include-pattern";

    private EndpointOptionCheck() {
    }

    /** The problems found in the options of the mailbridge endpoints in the configured route files. */
    static List<String> problems(CamelContext context, List<String> schemes) throws Exception {
        Map<String, OptionCatalog> catalogs = new LinkedHashMap<>();
        for (String scheme : schemes) {
            catalogs.put(scheme, OptionCatalog.of(context.getComponent(scheme).getClass(), scheme));
        }
        List<String> problems = new ArrayList<>();
        for (Binding found : RouteOptionKeys.read(routeFiles(context), catalogs)) {
            for (String key : keys(context, found.key())) {
                Binding binding = new Binding(found.scheme(), found.option(), key);
                String value = context.getPropertiesComponent().resolveProperty(key).orElse(null);
                OptionCatalog.Option option = catalogs.get(binding.scheme()).options().get(binding.option());
                // an empty value is bound too: Camel binds "" to the option as well (0, false, or the setter refuses it)
                if (value != null && option != null) {
                    check(context, binding, value.trim(), option, problems);
                }
            }
        }
        return problems;
    }

    /** The key, and for a mail.imap.* key the mailbox template takes, each account's mail.account.<name>.* key too. */
    private static List<String> keys(CamelContext context, String key) {
        List<String> keys = new ArrayList<>(List.of(key));
        String suffix = key.startsWith("mail.imap.") ? key.substring("mail.imap.".length()) : null;
        if (suffix != null && AccountRoutes.TEMPLATE_KEYS.containsValue(suffix)) {
            String accounts = context.getPropertiesComponent().resolveProperty("mail.accounts").orElse("");
            for (String name : Account.names(accounts)) {
                keys.add("mail.account." + name + "." + suffix);
            }
        }
        return keys;
    }

    private static void check(CamelContext context, Binding binding, String value, OptionCatalog.Option option,
            List<String> problems) {
        if (option.type().equals("duration") && !value.isEmpty() && !Settings.isDuration(value)) {
            problems.add(binding.key() + " = '" + value + "': not a duration such as 0s, 500, 10s or 1m30s");
            return;
        }
        try {
            Component component = context.getComponent(binding.scheme());
            Endpoint scratch = component.createEndpoint(binding.scheme() + ":localhost");
            PropertyBindingSupport.build().withCamelContext(context).withTarget(scratch)
                    .withConfigurer(component.getEndpointPropertyConfigurer()).withReference(true).withMandatory(true)
                    .withProperty(binding.option(), value).bind();
        } catch (Exception e) {
            problems.add(describe(binding.key(), value, option, e));
        }
    }

    /** {@code key = 'value': reason}, the reason in the option's terms; a secret's value is not repeated. */
    static String describe(String key, String value, OptionCatalog.Option option, Exception e) {
        Throwable cause = innermost(e);
        if (value.isEmpty()) {
            return key + " is empty: " + (thrownByMailbridge(cause) ? cause.getMessage() : conversionReason(option));
        }
        if (!thrownByMailbridge(cause)) {
            // Camel could not convert the text to the option's type; its wording names Java types
            return key + (option.secret() ? "" : " = '" + value + "'") + ": " + conversionReason(option);
        }
        // an option's own parser or setter refused it; those messages start with the quoted value
        String reason = cause.getMessage();
        return reason.startsWith("'") && !option.secret() ? key + " = " + reason : key + ": " + reason;
    }

    private static String conversionReason(OptionCatalog.Option option) {
        return switch (option.type()) {
            case "boolean" -> "must be true or false";
            case "enum" -> "must be one of " + String.join(", ", option.enums());
            case "integer" -> option.name().equals("port") ? "not a port number (1-65535)" : "not a whole number";
            case "duration" -> "not a duration such as 0s, 500, 10s or 1m30s";
            default -> "not a valid " + option.type();
        };
    }

    private static boolean thrownByMailbridge(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith("io.mailbridge.");
    }

    private static Throwable innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static List<String> routeFiles(CamelContext context) throws Exception {
        // the pattern Camel Main loads routes from: a property of any layer, else the layers' default (MailbridgeApp)
        String patterns = context.getPropertiesComponent().resolveProperty(ROUTES_PATTERN)
                .orElseGet(() -> ConfigLayers.fromEnvironment().routesPattern());
        List<String> files = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            if (pattern.isBlank()) {
                continue;
            }
            for (Resource r : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim())) {
                if (r.getLocation().endsWith(".yaml") || r.getLocation().endsWith(".yml")) {
                    files.add(read(r));
                }
            }
        }
        return files;
    }

    private static String read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
