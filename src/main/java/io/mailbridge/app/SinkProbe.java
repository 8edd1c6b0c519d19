package io.mailbridge.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Producer;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.URISupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether a destination of records would take them, without handing it one: a file directory exists
 * (or can be created) and is writable; a Kafka cluster describes itself; a JMS broker accepts a
 * connection; any other endpoint starts a producer. {@code <label>=<uri> result=ok}, passwords in the
 * URI masked.
 */
final class SinkProbe implements Callable<CheckFindings> {

    private static final int KAFKA_TIMEOUT_MS = 10_000;

    private final CamelContext context;
    private final String label;
    private final String uri;

    /** @param label what the URI is, e.g. {@code sink} or {@code dead-letter} */
    SinkProbe(CamelContext context, String label, String uri) {
        this.context = context;
        this.label = label;
        this.uri = uri;
    }

    @Override
    public CheckFindings call() {
        CheckFindings findings = new CheckFindings();
        String what = label + "=" + URISupport.sanitizeUri(uri);
        try {
            Endpoint endpoint = context.getEndpoint(uri);
            String problem = endpoint instanceof FileEndpoint file ? directoryProblem(file.getFile().toPath())
                    : endpoint instanceof KafkaEndpoint kafka ? describeCluster(kafka)
                    : endpoint instanceof JmsEndpoint jms ? connect(jms)
                    : startProducer(endpoint);
            if (problem == null) {
                findings.line(what + " result=ok");
            } else {
                findings.failed(what, problem);
            }
        } catch (Exception e) {
            findings.failed(what, ProbeErrors.reason(e));
        }
        return findings;
    }

    /** Null when records can be written there: the directory, or the nearest existing parent it would be made in. */
    static String directoryProblem(Path dir) {
        Path absolute = dir.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return absolute + " cannot be created: " + (existing == null ? "no parent directory" : existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            return (existing.equals(absolute) ? absolute + " is not writable" : absolute + " cannot be created in " + existing
                    + " (not writable)");
        }
        return null;
    }

    /** The producer's own client settings (brokers, TLS, SASL), limited to those an admin client knows. */
    private static String describeCluster(KafkaEndpoint endpoint) throws Exception {
        Properties producer = endpoint.getConfiguration().createProducerProperties();
        Properties admin = new Properties();
        Set<String> known = AdminClientConfig.configNames();
        producer.stringPropertyNames().stream().filter(known::contains).forEach(k -> admin.put(k, producer.get(k)));
        // the producer gets its brokers apart from its properties
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoint.getConfiguration().getBrokers());
        try (Admin client = Admin.create(admin)) {
            int nodes = client.describeCluster(new DescribeClusterOptions().timeoutMs(KAFKA_TIMEOUT_MS)).nodes()
                    .get(KAFKA_TIMEOUT_MS + 1000L, TimeUnit.MILLISECONDS).size();
            return nodes > 0 ? null : "the cluster at " + endpoint.getConfiguration().getBrokers() + " lists no brokers";
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return "no answer from " + endpoint.getConfiguration().getBrokers() + " within " + KAFKA_TIMEOUT_MS / 1000
                    + " s (" + ProbeErrors.reason(e) + ")";
        }
    }

    private static String connect(JmsEndpoint endpoint) throws Exception {
        try (Connection connection = endpoint.getConfiguration().getOrCreateConnectionFactory().createConnection()) {
            return null;
        }
    }

    private static String startProducer(Endpoint endpoint) throws Exception {
        Producer producer = endpoint.createProducer();
        try {
            ServiceHelper.startService(endpoint, producer);
            return null;
        } finally {
            ServiceHelper.stopService(producer);
        }
    }
}
