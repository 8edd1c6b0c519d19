package io.mailbridge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mailbridge.imap.ImapUidEndpoint;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * How polling goes for each mailbox route, as health details; always UP. One account's server
 * being down (or a long first backfill) must not take the whole service out of rotation: only the
 * shared sink does that ({@code io.mailbridge.sink.SinkHealthCheck}). Camel's own consumer checks,
 * which would report DOWN, are switched off ({@code camel.health.consumers-enabled=false}).
 */
public class MailboxesHealthCheck extends AbstractHealthCheck {

    public MailboxesHealthCheck() {
        super("mailbridge", "mailboxes");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        List<String> failing = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getEndpoint() instanceof ImapUidEndpoint endpoint && route.getConsumer() instanceof ScheduledPollConsumer poll) {
                String prefix = route.getRouteId() + ".";
                builder.detail(prefix + "account", endpoint.effectiveAccount());
                builder.detail(prefix + "first.poll.done", poll.isFirstPollDone());
                builder.detail(prefix + "polls", poll.getCounter());
                builder.detail(prefix + "failed.polls.in.a.row", poll.getErrorCounter());
                if (poll.getErrorCounter() > 0) {
                    failing.add(endpoint.effectiveAccount() + " (" + route.getRouteId() + ")");
                }
            }
        }
        if (!failing.isEmpty()) {
            builder.message("polling fails for " + String.join(", ", failing) + "; see the log. The service stays ready for the rest");
        }
    }
}
