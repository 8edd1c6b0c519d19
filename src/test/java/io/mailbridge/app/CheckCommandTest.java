package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.mailbridge.support.RunningMailbridge;

/**
 * {@code mailbridge --check} as an operator runs it, in its own JVM: it shows each setting with the layer
 * it came from (secrets masked), asks every server, prints one parseable line per folder, exits 0 or
 * names what failed, and leaves the data untouched.
 */
class CheckCommandTest {

    private static final String SECRET = "s3cret-for-check";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path dir;

    @Test
    void embeddedDemoChecksOkShowsWhereEachValueCameFromAndChangesNothing() throws Exception {
        Path data = dir.resolve("data");
        Path configDir = Files.createDirectories(dir.resolve("config"));
        Files.writeString(configDir.resolve("application.properties"), "mail.imap.poll-delay=7s\n");
        Files.writeString(dir.resolve("application.properties"), "mail.imap.fetch-size=25\n");
        Map<String, String> properties = new java.util.HashMap<>(RunningMailbridge.dataDirProperties(data));
        properties.putAll(Map.of("mail.embedded.enabled", "true", "mail.imap.port", String.valueOf(freePort()),
                "mail.smtp.port", String.valueOf(freePort()), "mail.imap.password", SECRET, "mail.smtp.password", SECRET));

        Check check = Check.run(dir, properties, Map.of("MAIL_IMAP_HOST", "127.0.0.1", "MAILBRIDGE_CONFIG", configDir.toString()));

        assertEquals(0, check.exitCode, check.output);
        assertTrue(check.has("check account=default folder=INBOX uidvalidity=\\d+ messages=3 matching=3 checkpoint=none"),
                check.output);
        assertTrue(check.has("check option account=default key=mail.imap.host from=environment value=127.0.0.1"), check.output);
        assertTrue(check.has("check option account=default key=mail.imap.port from=-D value=\\d+"), check.output);
        assertTrue(check.has("check option account=default key=mail.imap.fetch-size from=\\./application.properties value=25"),
                check.output);
        assertTrue(check.has("check option account=default key=mail.imap.poll-delay from=\\$MAILBRIDGE_CONFIG/application.properties"
                + " value=7s"), check.output);
        assertTrue(check.has("check option account=default key=mail.imap.password from=-D value=\\*{6}"), check.output);
        assertFalse(check.output.contains(SECRET), "a password was printed:\n" + check.output);
        assertTrue(check.has("check smtp=127.0.0.1:\\d+ user=demo result=ok"), check.output);
        assertTrue(check.has("check result=ok"), check.output);
        assertEquals(List.of(), filesUnder(data.resolve("inbox")), "no record written");
        assertEquals(List.of(), filesUnder(data.resolve("outbox")), "no demo request written");
        assertEquals(List.of(), filesUnder(data.resolve("checkpoints")), "no checkpoint written");
    }

    @Test
    void refusedLoginFailsTheCheckAndNamesTheAccount() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "right");
        Path data = dir.resolve("data");
        Map<String, String> properties = new java.util.HashMap<>(RunningMailbridge.dataDirProperties(data));
        properties.putAll(Map.of("mail.embedded.enabled", "false", "mail.accounts", "support",
                "mail.imap.host", "127.0.0.1", "mail.imap.port", String.valueOf(greenMail.getImap().getPort()),
                "mail.account.support.username", "alice", "mail.account.support.password", "wrong",
                "mail.smtp.host", "127.0.0.1", "mail.smtp.port", String.valueOf(greenMail.getSmtp().getPort()),
                "mail.smtp.username", "alice", "mail.smtp.password", "right"));

        Check check = Check.run(dir, properties, Map.of());

        assertEquals(1, check.exitCode, check.output);
        assertTrue(check.has("check failed account=support: login refused as alice on 127.0.0.1:\\d+ .*"), check.output);
        assertTrue(check.has("check smtp=127.0.0.1:\\d+ user=alice result=ok"), check.output);
        assertTrue(check.has("check result=failed failures=1"), check.output);
        assertFalse(check.has("check account=support folder=.*"), check.output);
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code java ... MailbridgeApp --check} in {@code workDir}: its exit code and everything it printed. */
    private record Check(int exitCode, String output) {

        static Check run(Path workDir, Map<String, String> properties, Map<String, String> env) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-Dcamel.management.enabled=false");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path") + File.pathSeparator + Path.of("target/classes").toAbsolutePath());
            cmd.add("io.mailbridge.app.MailbridgeApp");
            cmd.add("--check");
            Path log = workDir.resolve("check.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("MAIL_") || k.equals("MAILBRIDGE_CONFIG"));
            pb.environment().putAll(env);
            Process process = pb.start();
            // the check promises to end within a minute
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "still running after 60 s:\n" + output);
            return new Check(process.exitValue(), output);
        }

        boolean has(String lineRegex) {
            return Pattern.compile("^" + lineRegex + "$", Pattern.MULTILINE).matcher(output).find();
        }
    }
}
