package io.mailbridge.sink;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the service: DOWN while a sink is unavailable, naming each such sink (credentials
 * masked) and its cause; UP again once every one of them took a record. Records wait for their
 * sink, so a sink outage is what takes the service out of rotation. The details describe the
 * longest outage; {@code sinks.down} lists every sink that is down.
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
        List<SinkStatus.Outage> outages = status.outages();
        if (outages.isEmpty()) {
            builder.detail("sink", status.defaultSink()).up();
            return;
        }
        SinkStatus.Outage first = outages.get(0);
        builder.down()
                .message(outages.stream().map(o -> "sink " + o.sink() + " unavailable since " + o.since() + ": " + o.cause())
                        .collect(Collectors.joining("; ")))
                .detail("sink", first.sink())
                .detail("sinks.down", outages.stream().map(SinkStatus.Outage::sink).collect(Collectors.joining(", ")))
                .detail("since", first.since().toString())
                .detail("record", String.valueOf(first.record()))
                .detail("failed.tries", first.failedTries())
                .detail("cause", first.cause())
                .detail("next.try", first.nextTry().toString());
    }
}
