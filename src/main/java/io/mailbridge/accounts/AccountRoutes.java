package io.mailbridge.accounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.config.Durations;
import io.mailbridge.oauth2.TokenProviders;
import io.mailbridge.sink.SinkHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the accounts into routes: one instance of the {@code mailbox} route template
 * (routes/inbound.camel.yaml) per account, so adding a mailbox is a properties change. Runs after the
 * YAML routes are loaded and before the context starts, on the {@link Accounts} the startup check bound.
 * Each route gets its account's {@code MailboxConfiguration} as a bean, with the OAuth2 token provider
 * in it; an account that would re-ingest after an upgrade is held back ({@link UpgradeGuard}); one
 * summary line per account is logged and the mailboxes health check registered.
 */
public class AccountRoutes extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AccountRoutes.class);
    public static final String TEMPLATE_ID = "mailbox";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Accounts accounts = context.getRegistry().lookupByNameAndType(Accounts.BEAN, Accounts.class);
        if (accounts == null) {
            throw new IllegalStateException("no " + Accounts.BEAN + " bean: MailbridgeConfiguration binds it");
        }
        PropertiesComponent pc = context.getPropertiesComponent();
        Function<String, String> properties = key -> pc.resolveProperty(key).map(String::trim).orElse("");
        CheckpointStore store = context.getRegistry().lookupByNameAndType("checkpointStore", CheckpointStore.class);
        MailboxesHealthCheck health = new MailboxesHealthCheck();
        List<String> routeIds = new ArrayList<>();
        Duration refreshBefore = refreshBefore(properties);
        try {
            for (Account account : accounts.all()) {
                String held = UpgradeGuard.check(account, properties, store);
                addRoute(context, account, refreshBefore, held != null);
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

    private static Duration refreshBefore(Function<String, String> properties) {
        long millis = Durations.millis(properties.apply("mail.oauth2.refresh-before"));
        return Duration.ofMillis(millis < 0 ? 60_000 : millis);
    }

    private static void addRoute(CamelContext context, Account account, Duration refreshBefore, boolean held) throws Exception {
        if (account.isOAuth2()) {
            account.configuration().setTokenProvider(TokenProviders.create(account::oauth2, account::keyOf, refreshBefore));
        }
        TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(context, TEMPLATE_ID).routeId(account.routeId());
        templateParameters(context, account).forEach(route::parameter);
        route.add();
        if (held) {
            ((ModelCamelContext) context).getRouteDefinition(account.routeId()).autoStartup(false);
        }
    }

    /** The template's parameters: the server (for the URI), the configuration bean, the sink and its headers step. */
    static Map<String, Object> templateParameters(CamelContext context, Account account) {
        String mailbox = "mailbox-" + account.routeId();
        context.getRegistry().bind(mailbox, account.configuration());
        // the key header is where this mailbox's own sink looks for it (mail.account.<name>.sink-uri may differ)
        String sinkHeaders = "sinkHeaders-" + account.routeId();
        context.getRegistry().bind(sinkHeaders, new SinkHeaders(account.sinkUri()));
        String changesUri = account.changesUri();
        String changesHeaders = "changesHeaders-" + account.routeId();
        context.getRegistry().bind(changesHeaders, new SinkHeaders(changesUri));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("host", account.configuration().getHost());
        p.put("mailbox", mailbox);
        p.put("sinkUri", account.sinkUri());
        p.put("sinkHeaders", sinkHeaders);
        p.put("changesUri", changesUri);
        p.put("changesHeaders", changesHeaders);
        return p;
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
