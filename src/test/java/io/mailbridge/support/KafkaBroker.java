package io.mailbridge.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

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

    /** A free port whose successor (the controller listener) is free too. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports found");
    }
}
