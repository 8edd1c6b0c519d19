package io.mailbridge.accounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.mailbridge.app.Settings;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.oauth2.TokenProviders;
import io.mailbridge.sink.SinkHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the accounts in the properties into routes: one instance of the {@code mailbox} route
 * template (routes/inbound.camel.yaml) per account, so adding a mailbox is a properties change.
 * Runs after the YAML routes are loaded and before the context starts. Also binds each OAuth2
 * account's token provider, holds back an account that would re-ingest after an upgrade
 * ({@link UpgradeGuard}), logs one summary line per account and registers the mailboxes health check.
 */
public class AccountRoutes extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AccountRoutes.class);
    public static final String TEMPLATE_ID = "mailbox";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Settings settings = Settings.of(context.getPropertiesComponent());
        Function<String, String> properties = settings::string;
        CheckpointStore store = context.getRegistry().lookupByNameAndType("checkpointStore", CheckpointStore.class);
        MailboxesHealthCheck health = new MailboxesHealthCheck();
        List<String> routeIds = new ArrayList<>();
        try {
            for (Account account : Account.all(properties)) {
                String held = UpgradeGuard.check(account, properties, store);
                addRoute(context, settings, account, held != null);
                if (held != null) {
                    LOG.error(held);
                }
                health.add(account, held);
                routeIds.add(account.routeId());
                LOG.info(new AccountSummary(account, store).line());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create the mailbox routes: " + e.getMessage(), e);
        }
        register(context, health, routeIds);
    }

    private static void addRoute(CamelContext context, Settings settings, Account account, boolean held) throws Exception {
        TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(context, TEMPLATE_ID).routeId(account.routeId());
        templateParameters(account).forEach(route::parameter);
        // the key header is where this mailbox's own sink looks for it (mail.account.<name>.sink-uri may differ)
        String sinkHeaders = "sinkHeaders-" + account.routeId();
        context.getRegistry().bind(sinkHeaders, new SinkHeaders(account.value("sink-uri")));
        route.parameter("sinkHeaders", sinkHeaders);
        if (account.isOAuth2()) {
            String bean = "tokenProvider-" + account.routeId();
            context.getRegistry().bind(bean, TokenProviders.create(k -> account.value(k), account::ownKey,
                    Duration.ofMillis(TimeUtils.toMilliSeconds(settings.get("mail.oauth2.refresh-before").orElse("60s")))));
            route.parameter("tokenProvider", "#" + bean);
        }
        route.add();
        if (held) {
            ((ModelCamelContext) context).getRouteDefinition(account.routeId()).autoStartup(false);
        }
    }

    /** A template parameter that carries one mail.imap.* (or mail.account.<name>.*) key, and its value when that is empty. */
    private record KeyParameter(String parameter, String key, String whenEmpty) {
    }

    private static final List<KeyParameter> KEY_PARAMETERS = List.of(
            new KeyParameter("host", "host", ""), new KeyParameter("port", "port", "0"),
            new KeyParameter("username", "username", ""), new KeyParameter("password", "password", ""),
            new KeyParameter("ssl", "ssl", "false"), new KeyParameter("starttls", "starttls", "false"),
            new KeyParameter("folders", "folders", "INBOX"), new KeyParameter("search", "search", "ALL"),
            new KeyParameter("fetch", "fetch", "full"), new KeyParameter("fetchSize", "fetch-size", "100"),
            new KeyParameter("startFrom", "start-from", "all"),
            new KeyParameter("onUidValidityChange", "on-uidvalidity-change", "since-last-date"),
            new KeyParameter("after", "after", "none"), new KeyParameter("delay", "poll-delay", "5s"),
            new KeyParameter("initialDelay", "initial-delay", "0s"));

    /** The template parameters that carry one mail.imap.* (or mail.account.<name>.*) key, by that key's last part. */
    public static final Map<String, String> TEMPLATE_KEYS = KEY_PARAMETERS.stream()
            .collect(Collectors.toUnmodifiableMap(KeyParameter::parameter, KeyParameter::key));

    /** Template parameter -> value, resolved with the account's fallbacks. */
    static Map<String, Object> templateParameters(Account a) {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        for (KeyParameter k : KEY_PARAMETERS) {
            p.put(k.parameter(), orDefault(a.value(k.key()), k.whenEmpty()));
        }
        p.put("account", a.recordPrefix());
        p.put("auth", a.isOAuth2() ? "oauth2" : "password");
        p.put("sinkUri", a.value("sink-uri"));
        return p;
    }

    private static String orDefault(String value, String dflt) {
        return value.isEmpty() ? dflt : value;
    }

    /**
     * The mailboxes check replaces Camel's per-route consumer and route checks for these routes: those
     * would fail readiness for one bad mailbox, this one names it and stays UP while another works.
     */
    private static void register(CamelContext context, MailboxesHealthCheck health, List<String> routeIds) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return;
        }
        health.setCamelContext(context);
        registry.register(health);
        StringBuilder exclude = new StringBuilder(registry.getExcludePattern() == null ? "" : registry.getExcludePattern());
        for (String id : routeIds) {
            exclude.append(exclude.length() == 0 ? "" : ",").append("consumer:").append(id).append(",route:").append(id);
        }
        registry.setExcludePattern(exclude.toString());
    }
}
