package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockNames;
import io.mailbridge.imap.component.MailboxConfiguration;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under a cluster service, rewrites each route's {@code from} as it is added to the model, before it
 * starts: an inbound route ({@code mailbridge-imap:}) becomes {@code master:mailbridge-<account>:…},
 * the outbound route ({@code smtp-outbound}) {@code master:mailbridge-outbound:…}. Done here rather
 * than in the YAML so it applies alike to the single default route and to routes made from a
 * template, whatever their parameters are called.
 */
public class MasterRouteWrapper extends ModelLifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(MasterRouteWrapper.class);
    static final String IMAP = "mailbridge-imap:";
    static final String OUTBOUND_ROUTE = "smtp-outbound";

    private final CamelContext context;

    public MasterRouteWrapper(CamelContext context) {
        this.context = context;
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        String uri = route.getInput().getEndpointUri();
        if (uri == null || uri.startsWith("master:")) {
            return;
        }
        String lock;
        if (uri.startsWith(IMAP)) {
            lock = LockNames.forAccount(account(route, uri));
        } else if (OUTBOUND_ROUTE.equals(route.getRouteId())) {
            lock = LockNames.OUTBOUND;
        } else {
            return;
        }
        route.getInput().setUri("master:" + lock + ":" + uri);
        LOG.info("Route {} runs only on the replica holding {}", route.getRouteId(), lock);
    }

    /** The account as the endpoint computes it: from its configuration bean, refined by account/username/host options. */
    private String account(RouteDefinition route, String uri) {
        String path = StringHelper.before(uri.substring(IMAP.length()), "?", uri.substring(IMAP.length()));
        Map<String, Object> query;
        try {
            query = URISupport.parseQuery(StringHelper.after(uri, "?", ""), true);
        } catch (Exception e) {
            throw new IllegalArgumentException("Route " + route.getRouteId() + ": cannot read the options of its from URI", e);
        }
        MailboxConfiguration mailbox = new MailboxConfiguration();
        String reference = resolve(route, (String) query.get("configuration"));
        if (reference != null && reference.startsWith("#")) {
            MailboxConfiguration bound = context.getRegistry().lookupByNameAndType(
                    reference.replaceFirst("^#(bean:)?", ""), MailboxConfiguration.class);
            mailbox = bound == null ? mailbox : bound.copy();
        }
        String host = resolve(route, path.replaceFirst("^//", ""));
        if (host != null && !host.isBlank()) {
            mailbox.setHost(StringHelper.before(host, ":", host));
        }
        String username = resolve(route, (String) query.get("username"));
        if (username != null) {
            mailbox.setUsername(username);
        }
        String account = resolve(route, (String) query.get("account"));
        if (account != null) {
            mailbox.setAccount(account.trim());
        }
        return mailbox.effectiveAccount();
    }

    /** Placeholders of a templated route resolve against its template parameters, as its reifier does. */
    private String resolve(RouteDefinition route, String text) {
        if (text == null) {
            return null;
        }
        PropertiesComponent pc = context.getPropertiesComponent();
        Map<String, Object> parameters = route.getTemplateParameters();
        if (parameters == null || parameters.isEmpty()) {
            return context.resolvePropertyPlaceholders(text);
        }
        Properties local = new Properties();
        local.putAll(parameters);
        pc.setLocalProperties(local);
        try {
            return context.resolvePropertyPlaceholders(text);
        } finally {
            pc.setLocalProperties(null);
        }
    }
}
