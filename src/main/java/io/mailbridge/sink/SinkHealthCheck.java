package io.mailbridge.sink;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the service: DOWN while the sink is unavailable, naming the sink (credentials
 * masked) and the cause; UP again once it took a record. The sink is shared by every mailbox, so
 * it is what takes the service out of rotation.
 */
public class SinkHealthCheck extends AbstractHealthCheck {

    private final SinkStatus status;

    public SinkHealthCheck(SinkStatus status) {
        super("mailbridge", "sink");
        this.status = status;
    }

    @Override
    public boolean isLiveness() {
        return false; // a sink outage is waited out; restarting mailbridge would not help
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("sink", status.sink());
        status.outage().ifPresentOrElse(o -> builder.down()
                .message("sink " + status.sink() + " unavailable since " + o.since() + ": " + o.cause())
                .detail("since", o.since().toString())
                .detail("record", String.valueOf(o.record()))
                .detail("failed.tries", o.failedTries())
                .detail("cause", o.cause())
                .detail("next.try", o.nextTry().toString()),
                builder::up);
    }
}
