package io.mailbridge.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** mailbridge in its own JVM, as a user starts it, so a test can kill it for real (SIGKILL). */
public final class MailbridgeProcess implements AutoCloseable {

    private static final Pattern RECORD_LINE = Pattern.compile("\\S+/\\d+/\\d+ flags=");

    private final Process process;
    private final Path log;
    private final Path dataDir;

    private MailbridgeProcess(Process process, Path log, Path dataDir) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
    }

    /** The directory its sink, outbox and checkpoints are under (RunningMailbridge.dataDirProperties). */
    public Path dataDir() {
        return dataDir;
    }

    /** Waits for the process to end by itself and returns its exit status. */
    public int exitCode(java.time.Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + atMost);
        }
        return process.exitValue();
    }

    public static MailbridgeProcess start(Path dataDir, Map<String, String> properties, Path log) throws Exception {
        return start(dataDir, properties, log, Map.of());
    }

    /** The same with extra environment variables (for {@code {{env:...}}} secrets). */
    public static MailbridgeProcess start(Path dataDir, Map<String, String> properties, Path log, Map<String, String> env)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        // the data directory first, so a test's own properties (e.g. a queue as mail.sink.uri) win
        RunningMailbridge.dataDirProperties(dataDir).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (!properties.containsKey("camel.management.enabled")) {
            cmd.add("-Dcamel.management.enabled=false");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path") + File.pathSeparator + Path.of("target/classes").toAbsolutePath());
        cmd.add("io.mailbridge.app.MailbridgeApp");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new MailbridgeProcess(pb.start(), log, dataDir);
    }

    /** SIGKILL: no shutdown hook, no flush, nothing finishes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator or Kubernetes stops it; waits for the exit and returns how long it took. */
    public java.time.Duration terminate(java.time.Duration atMost) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running " + atMost + " after SIGTERM");
        }
        return java.time.Duration.ofNanos(System.nanoTime() - started);
    }

    /** SIGSTOP: the JVM freezes as a long GC pause or a stalled VM would; nothing runs until {@link #resume}. */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT: the JVM goes on where it stopped, unaware of the time that passed. */
    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Resident memory now (VmRSS), in MB. */
    public long rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sum of "N new" over the poll log lines written so far. */
    public int loggedNewMessages() throws Exception {
        Matcher m = Pattern.compile(": ([\\d,]+) new, uid").matcher(Files.readString(log));
        int total = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1).replace(",", ""));
        }
        return total;
    }

    public String logText() throws Exception {
        return Files.readString(log);
    }

    /**
     * The log so far, for awaits that poll it while the JVM writes: empty before the JVM wrote
     * anything, and a character cut in half at the end does not make it fail.
     */
    public String logSoFar() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Records written to the sink, by their one line each ("<key> flags=…", mail.sink.log-level=INFO). */
    public int loggedRecords() {
        Matcher m = RECORD_LINE.matcher(logSoFar());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** This replica's lock client id (mail.cluster.service=jdbc; checkpoint rows' updated_by), from its start line. */
    public String clientId() {
        Matcher m = Pattern.compile("This replica is \\S+ \\(.*lock client id ([0-9a-f-]{36})").matcher(logSoFar());
        if (!m.find()) {
            throw new AssertionError("no \"This replica is <id> (… lock client id <uuid>…)\" line in " + log);
        }
        return m.group(1);
    }

    /** Whether this replica holds the lock now, by its last leadership line about it (granted, given up, or lost). */
    public boolean holdsNow(String lock) {
        return holdsNow(logSoFar(), lock);
    }

    /** As {@link #holdsNow(String)}, in a log already read. */
    public static boolean holdsNow(String text, String lock) {
        int granted = text.lastIndexOf(") now holds " + lock + ":");
        int gone = Math.max(text.lastIndexOf(") no longer holds " + lock + ":"), text.lastIndexOf(") lost " + lock + " while"));
        return granted > gone;
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
