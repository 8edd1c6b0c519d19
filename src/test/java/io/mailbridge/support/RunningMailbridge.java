package io.mailbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.app.MailbridgeApp;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * mailbridge as users run it (MailbridgeApp, application.properties, routes/*.camel.yaml), pointed at
 * a test server and a temporary data directory through override properties.
 */
public final class RunningMailbridge implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;
    public final Path dataDir;

    private RunningMailbridge(Main main, Path dataDir) {
        this.main = main;
        this.dataDir = dataDir;
    }

    /** Starts with the server's IMAP/SMTP ports and extra overrides (key, value, key, value...). */
    public static RunningMailbridge start(Path dataDir, int imapPort, int smtpPort, String user, String password,
            Map<String, String> overrides) throws Exception {
        return start(dataDir, imapPort, smtpPort, user, password, overrides, Map.of());
    }

    /** As above, with beans bound before start (e.g. a {@code recordMapper} of the test's own). */
    public static RunningMailbridge start(Path dataDir, int imapPort, int smtpPort, String user, String password,
            Map<String, String> overrides, Map<String, Object> beans) throws Exception {
        Main main = MailbridgeApp.create();
        beans.forEach(main::bind);
        main.addOverrideProperty("mail.embedded.enabled", "false");
        main.addOverrideProperty("mail.imap.host", "127.0.0.1");
        main.addOverrideProperty("mail.imap.port", String.valueOf(imapPort));
        main.addOverrideProperty("mail.imap.username", user);
        main.addOverrideProperty("mail.imap.password", password);
        main.addOverrideProperty("mail.imap.poll-delay", "200");
        main.addOverrideProperty("mail.smtp.host", "127.0.0.1");
        main.addOverrideProperty("mail.smtp.port", String.valueOf(smtpPort));
        main.addOverrideProperty("mail.smtp.username", user);
        main.addOverrideProperty("mail.smtp.password", password);
        dataDirProperties(dataDir).forEach(main::addOverrideProperty);
        main.addOverrideProperty("mail.sink.redelivery-delay", "50");
        main.addOverrideProperty("mail.smtp.redelivery-delay", "100");
        main.addOverrideProperty("camel.management.enabled", "false");
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return new RunningMailbridge(main, dataDir);
    }

    /** Every place mailbridge writes to, moved under one directory. */
    public static Map<String, String> dataDirProperties(Path dataDir) {
        return Map.of(
                "mail.sink.uri", "file:" + dataDir.resolve("inbox") + "?tempPrefix=.writing-&fileExist=TryRename",
                "mail.dead-letter.uri", "file:" + dataDir.resolve("dead-letter") + "?tempPrefix=.writing-",
                "mail.checkpoint.dir", dataDir.resolve("checkpoints").toString(),
                "mail.outbox.uri", "file:" + dataDir.resolve("outbox") + "?delete=true&delay=200",
                "mail.outbox.failed-uri", "file:" + dataDir.resolve("outbox-failed") + "?tempPrefix=.writing-",
                "mail.outbox.sent-uri", "file:" + dataDir.resolve("outbox-sent") + "?tempPrefix=.writing-",
                "mail.outbox.ledger-dir", dataDir.resolve("outbox-ledger").toString());
    }

    /** Drops an outbound request into the outbox the safe way: written under a hidden name, then renamed. */
    public static void submit(Path dataDir, String name, String content) throws IOException {
        Path outbox = dataDir.resolve("outbox");
        Files.createDirectories(outbox);
        Path tmp = outbox.resolve("." + name);
        Files.writeString(tmp, content, java.nio.charset.StandardCharsets.UTF_8);
        Files.move(tmp, outbox.resolve(name));
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path inbox() {
        return dataDir.resolve("inbox");
    }

    /** Every record file under the sink directory, parsed. */
    public List<JsonNode> records() throws IOException {
        return jsonFiles(inbox()).stream().map(p -> {
            try {
                return JSON.readTree(p.toFile());
            } catch (IOException e) {
                throw new IllegalStateException(p + ": " + e.getMessage(), e);
            }
        }).toList();
    }

    /**
     * The record files under {@code dir}, sorted; hidden ones (a sink's {@code .writing-} temp files) left
     * out. A file renamed or deleted while the directory is walked (that temp file, renamed when whole) is
     * skipped, not an error, so a test may call this while mailbridge writes.
     */
    public static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.toString().endsWith(".json") && !file.getFileName().toString().startsWith(".")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        Collections.sort(files);
        return files;
    }

    public List<JsonNode> awaitRecords(int count) throws Exception {
        await(Duration.ofSeconds(20), () -> {
            try {
                return jsonFiles(inbox()).size() >= count;
            } catch (IOException e) {
                return false;
            }
        }, "expected " + count + " records in " + inbox());
        return records();
    }

    /**
     * Waits until {@code condition} holds, checking at once and then every 50 ms in the calling thread (a
     * condition may use a Kafka consumer or another object bound to it). On timeout an {@link AssertionError}
     * "Timed out: {@code what}", Awaitility's report as its cause, so callers that catch AssertionError to
     * print a log still do. An exception of the condition ends the wait at once, as before.
     */
    public static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        // qualified: this method's own name shadows a static import of Awaitility.await here
        try {
            Awaitility.await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out: " + what, e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    /** Starts with these overrides, expecting startup to fail; returns every message of the cause chain. */
    public static String startupError(Path dataDir, Map<String, String> overrides) {
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> start(dataDir, 1, 1, "u", "p", overrides).close());
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
