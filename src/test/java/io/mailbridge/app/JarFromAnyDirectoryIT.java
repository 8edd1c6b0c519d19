package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started as users start it ({@code java -jar mailbridge.jar}) from a directory
 * that is not the checkout: it carries its defaults and routes, and the configuration layers on top
 * (./application.properties, $MAILBRIDGE_CONFIG, environment variables) apply as documented.
 */
class JarFromAnyDirectoryIT {

    private static final Path JAR = Path.of(System.getProperty("mailbridge.jar", "target/mailbridge.jar")).toAbsolutePath();
    private static final Path PROJECT_ROUTES = Path.of("routes").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryAndDashDOptionsAreEnough() throws Exception {
        // the embedded demo server, on ports of its own so parallel runs do not collide
        try (Jar jar = Jar.start(dir, Map.of(), "-Dmail.imap.port=" + freePort(), "-Dmail.smtp.port=" + freePort(),
                "-Dcamel.management.port=" + freePort())) {
            jar.awaitRecords(dir.resolve("data/inbox"), 3);
            assertTrue(jar.log().contains("Started imap-inbound") && jar.log().contains("Started smtp-outbound"), jar.log());
        }
    }

    @Test
    void workingDirectoryConfigDirectoryAndEnvironmentAreLayered() throws Exception {
        Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "camel.main.name=from-working-dir",
                "mail.checkpoint.dir=checkpoints-from-working-dir",
                "mail.sink.uri=file:records-from-working-dir",
                "mail.imap.poll-delay=1s", ""));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("application.properties"), "mail.checkpoint.dir=checkpoints-from-config-dir\n");
        // a routes directory replaces the built-in routes as a whole: here only the inbound one
        Files.createDirectories(config.resolve("routes"));
        Files.copy(PROJECT_ROUTES.resolve("inbound.camel.yaml"), config.resolve("routes/inbound.camel.yaml"));

        try (Jar jar = Jar.start(dir, Map.of("MAILBRIDGE_CONFIG", config.toString(), "MAIL_SINK_URI", "file:records-from-env"),
                "-Dmail.imap.port=" + freePort(), "-Dmail.smtp.port=" + freePort(), "-Dcamel.management.port=" + freePort())) {
            jar.awaitRecords(dir.resolve("records-from-env"), 3); // the environment beats every file
            RunningMailbridge.await(Duration.ofSeconds(10), () -> Files.isDirectory(dir.resolve("checkpoints-from-config-dir")),
                    "the checkpoint where $MAILBRIDGE_CONFIG/application.properties puts it");
            assertFalse(Files.exists(dir.resolve("checkpoints-from-working-dir")), "$MAILBRIDGE_CONFIG beats ./application.properties");
            assertFalse(Files.exists(dir.resolve("records-from-working-dir")));
            String log = jar.log();
            assertTrue(log.contains("(from-working-dir)"), "./application.properties still applies key by key");
            assertTrue(log.contains("Started imap-inbound"), log);
            assertFalse(log.contains("smtp-outbound"), "the built-in outbound route is replaced with the directory's routes");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code java [options] -jar mailbridge.jar} in a directory, with extra environment variables. */
    private record Jar(Process process, Path logFile) implements AutoCloseable {

        static Jar start(Path workingDir, Map<String, String> env, String... options) throws IOException {
            assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package; run the ITs with mvn verify");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx256m");
            cmd.addAll(List.of(options));
            cmd.add("-jar");
            cmd.add(JAR.toString());
            Path log = Files.createTempFile("mailbridge-jar-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("MAIL_") || k.startsWith("CAMEL_") || k.equals("MAILBRIDGE_CONFIG"));
            pb.environment().putAll(env);
            return new Jar(pb.start(), log);
        }

        void awaitRecords(Path sinkDir, int count) throws Exception {
            RunningMailbridge.await(Duration.ofSeconds(60), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("mailbridge exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    return RunningMailbridge.jsonFiles(sinkDir).size() >= count;
                } catch (IOException e) {
                    return false;
                }
            }, count + " records in " + sinkDir);
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(logFile);
        }
    }
}
