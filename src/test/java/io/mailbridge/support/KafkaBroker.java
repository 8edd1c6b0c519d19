package io.mailbridge.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node Kafka broker (KRaft) on a loopback port, started by scripts/kafka.sh from the
 * Maven jars in its own JVM. One broker serves every test class of the test JVM (tests use their
 * own topics); it is stopped when the JVM exits. Starting costs ~10-20 s, so it is shared.
 */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker shared;

    private final Path dir;
    private final int port;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The shared broker, started on first use. */
    public static synchronized KafkaBroker shared() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("mailbridge-kafka-");
            int port = freePortPair();
            run("start", dir.toString(), String.valueOf(port));
            KafkaBroker broker = new KafkaBroker(dir, port);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stopQuietly, "kafka-broker-stop"));
            shared = broker;
        }
        return shared;
    }

    /**
     * A broker of the caller's own, for a test that stops and restarts it (same port, same data
     * dir); {@link #close()} stops it and deletes its data. Never close {@link #shared()}.
     */
    public static KafkaBroker startOwn() throws Exception {
        Path dir = Files.createTempDirectory("mailbridge-kafka-");
        int port = freePortPair();
        run("start", dir.toString(), String.valueOf(port));
        return new KafkaBroker(dir, port);
    }

    @Override
    public void close() {
        stopQuietly();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** A consumer of its own group, subscribed to the topic from its first record, keys and values as text. */
    public KafkaConsumer<String, String> reader(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Stops the broker process (the data stays, so {@link #start()} brings the same topics back). */
    public void stop() throws Exception {
        run("stop", dir.toString());
    }

    public void start() throws Exception {
        run("start", dir.toString(), String.valueOf(port));
    }

    private void stopQuietly() {
        try {
            stop();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (Exception e) {
            System.err.println("could not stop the test Kafka broker in " + dir + ": " + e.getMessage());
        }
    }

    private static void run(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = Path.of("scripts/kafka.sh").toAbsolutePath().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("scripts/kafka.sh " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    /**
     * A free port whose successor (the controller listener) is free too, below Linux's ephemeral range
     * (32768-60999). A port from that range can be taken while the broker is down: the producer, reconnecting
     * to 127.0.0.1:port every few ms, sooner or later gets that very port as its own source port (a TCP
     * self-connect), or another client's connection does, and the restarted broker fails with "Address already
     * in use" (KafkaOutageTest, 1 run in 8 before this).
     */
    private static int freePortPair() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 50; i++) {
            int port = 20_000 + 2 * random.nextInt(6_000); // 20000-31998
            try (ServerSocket s = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress());
                    ServerSocket next = new ServerSocket(port + 1, 50, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports found below the ephemeral range");
    }
}
