package io.mailbridge.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway Dovecot on a loopback port, started by scripts/dovecot.sh (the same script the
 * benchmarks use). Without Dovecot installed the tests are skipped locally; on CI (CI=true) that is
 * an error, because .ci/run installs it.
 */
public final class DovecotServer implements AutoCloseable {

    public static final String USER = "alice";
    public static final String PASSWORD = "secret";

    private final Path dir;
    private final int port;

    private DovecotServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static DovecotServer start(String name) throws Exception {
        return start(name, null);
    }

    /**
     * @param introspectUrl     when not null, users may also log in with XOAUTH2/OAUTHBEARER tokens that
     *                          this RFC 7662 introspection endpoint accepts (see {@link TokenService})
     * @param extraUsers        more users beside {@link #USER}, each "name:password"
     */
    public static DovecotServer start(String name, String introspectUrl, String... extraUsers) throws Exception {
        return launch(name, introspectUrl, null, extraUsers);
    }

    /** With extra dovecot.conf lines, e.g. {@code imap_capability = ...} for a server without IDLE. */
    public static DovecotServer startWithConfig(String name, String extraConfig) throws Exception {
        return launch(name, null, extraConfig);
    }

    /**
     * The address to connect to a server started with {@link #tlsRequiredConfig}: Dovecot counts a connection
     * from its own address (127.0.0.1 to 127.0.0.1) as secured and takes a clear-text login on it even with
     * {@code ssl = required}; to 127.0.0.2 the kernel's source address is 127.0.0.1, so the two differ and TLS
     * is demanded.
     */
    public static final String TLS_HOST = "127.0.0.2";

    /**
     * dovecot.conf lines for {@link #startWithConfig} that make the server demand TLS on {@link #TLS_HOST}:
     * STARTTLS on the plain port and no login before it ({@code LOGINDISABLED}), so a client that would send
     * its password in clear text is refused. Writes a fresh self-signed certificate for 127.0.0.1 and
     * {@link #TLS_HOST} (IP subject alternative names, so a client that checks the server's identity accepts it
     * once it trusts it) and its key into {@code dir}, which must outlive the server.
     */
    public static String tlsRequiredConfig(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,IP:" + TLS_HOST,
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make a test certificate:\n" + out);
        }
        // 127.0.0.1 stays: scripts/dovecot.sh waits for the greeting there
        return String.join("\n", "ssl = required", "ssl_cert = <" + cert, "ssl_key = <" + key,
                "disable_plaintext_auth = yes",
                "listen = 127.0.0.1, " + TLS_HOST,
                "service imap-login {", "  inet_listener imap {", "    address = 127.0.0.1, " + TLS_HOST, "  }", "}");
    }

    private static DovecotServer launch(String name, String introspectUrl, String extraConfig, String... extraUsers)
            throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/sbin/dovecot"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("Dovecot is not installed on CI: .ci/run must install dovecot-imapd");
        }
        Assumptions.assumeTrue(installed, "Dovecot is not installed (apt-get install dovecot-imapd)");
        int port = freePort();
        // under /tmp, not the checkout or a JUnit @TempDir: Dovecot's unprivileged mail processes must be able to
        // traverse every parent directory, and a checkout under /root (mode 700) would shut them out
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mailbridge-dovecot-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] args = new String[5 + extraUsers.length];
        args[0] = "start";
        args[1] = dir.toString();
        args[2] = String.valueOf(port);
        args[3] = USER;
        args[4] = PASSWORD;
        System.arraycopy(extraUsers, 0, args, 5, extraUsers.length);
        runWith(env(introspectUrl, extraConfig), args);
        return new DovecotServer(dir, port);
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** The Maildir directory of a folder (INBOX is the Maildir root; others are Maildir++ ".name"). */
    public Path maildir(String folder) {
        Path root = dir.resolve("mail").resolve(USER);
        return folder.equalsIgnoreCase("INBOX") ? root : root.resolve("." + folder);
    }

    /**
     * Drops {@code count} small numbered messages into the folder's Maildir, fast (no IMAP): Subject
     * "message n", Message-ID {@code <idPrefix.n@example.com>}, body "body n".
     */
    public void deliverNumbered(String folder, int count, String idPrefix) throws IOException {
        for (int i = 1; i <= count; i++) {
            String msg = "From: sender@example.com\r\nTo: alice@localhost\r\nSubject: message " + i + "\r\nMessage-ID: <"
                    + idPrefix + "." + i + "@example.com>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\nbody " + i + "\r\n";
            deliverRaw(folder, String.format("1795000000.S%07d.localhost", i), msg.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** Drops a message into the folder's Maildir exactly as given, byte for byte (created by IMAP first). */
    public void deliverRaw(String folder, String uniqueName, byte[] content) throws IOException {
        deliverRaw(USER, folder, uniqueName, content);
    }

    /** The same for another user's INBOX or folder. */
    public void deliverRaw(String user, String folder, String uniqueName, byte[] content) throws IOException {
        Path root = dir.resolve("mail").resolve(user);
        Path box = folder.equalsIgnoreCase("INBOX") ? root : root.resolve("." + folder);
        Path newDir = box.resolve("new");
        Path tmp = box.resolve("tmp").resolve(uniqueName);
        Files.write(tmp, content);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, newDir.resolve(uniqueName));
    }

    /** Kills this server's imap processes (scripts/dovecot.sh kick): every client must reconnect and log in again. */
    public void kick() throws Exception {
        run("kick", dir.toString());
    }

    /**
     * SIGKILLs this instance's imap processes (one per logged-in connection): the clients' connections
     * drop mid-command as when a server process dies. Returns how many were killed.
     */
    public int killImapProcesses() throws IOException {
        long master = Long.parseLong(Files.readString(dir.resolve("run/master.pid")).trim());
        List<ProcessHandle> imap = ProcessHandle.of(master).stream().flatMap(ProcessHandle::children)
                .filter(p -> p.info().command().map(c -> c.endsWith("/imap")).orElse(false)).toList();
        imap.forEach(ProcessHandle::destroyForcibly);
        return imap.size();
    }

    /** The server's log: logins, disconnects, authentication failures. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("dovecot.log"));
    }

    private static void run(String... args) throws Exception {
        runWith(Map.of(), args);
    }

    private static Map<String, String> env(String introspectUrl, String extraConfig) {
        Map<String, String> env = new java.util.HashMap<>();
        if (introspectUrl != null) {
            env.put("DOVECOT_OAUTH2_INTROSPECT_URL", introspectUrl);
        }
        if (extraConfig != null) {
            env.put("DOVECOT_EXTRA_CONF", extraConfig);
        }
        return env;
    }

    private static void runWith(Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = Path.of("scripts/dovecot.sh").toAbsolutePath().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("scripts/dovecot.sh " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        run("stop", dir.toString());
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
