package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.LoggerCapture;
import io.mailbridge.support.RunningMailbridge;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads when the server cannot be reached: one line per failure, the cause in words. */
class ReadableFailureLogTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(imaps());

    private static ServerSetup imaps() {
        ServerSetup imaps = ServerSetupTest.IMAPS.dynamicPort();
        imaps.setServerStartupTimeout(15_000); // TLS setup is slow on a loaded machine
        return imaps;
    }

    @TempDir
    Path data;

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<LoggerCapture.Line> warns = warnsFor(closed, Map.of("mail.imap.account", "support"));
        assertTrue(warns.get(0).message().matches("IMAP support folder INBOX \\(127\\.0\\.0\\.1:" + closed
                + "\\): connection refused; next try in \\d+ms at .*Z \\(attempt 1 failed\\)"), warns.get(0).message());
    }

    @Test
    void untrustedCertificateIsSaidInWords() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        List<LoggerCapture.Line> warns = warnsFor(greenMail.getImaps().getPort(), Map.of("mail.imap.ssl", "true"));
        assertTrue(warns.get(0).message().contains("): certificate for 127.0.0.1 not trusted; next try in"), warns.get(0).message());
    }

    /** The WARN lines of the first failed attempts: short, no stack trace, no URI, no password. */
    private List<LoggerCapture.Line> warnsFor(int port, Map<String, String> overrides) throws Exception {
        String password = "pw-" + System.nanoTime();
        try (LoggerCapture log = LoggerCapture.of("io.mailbridge", Level.INFO);
                LoggerCapture camel = LoggerCapture.of("org.apache.camel", Level.INFO);
                RunningMailbridge mb = RunningMailbridge.start(data, port, 1, "alice", password, overrides)) {
            RunningMailbridge.await(Duration.ofSeconds(20), () -> log.lines().stream().anyMatch(l -> l.level() == Level.WARN),
                    "a WARN about the failure");
            List<LoggerCapture.Line> warns = log.lines().stream().filter(l -> l.level() == Level.WARN).toList();
            for (LoggerCapture.Line line : warns) {
                assertTrue(line.message().length() < 200, line.message());
                assertTrue(line.thrown() == null, "stack trace at WARN: " + line);
                assertFalse(line.message().contains("mailbridge-imap:"), "endpoint URI in " + line);
            }
            for (LoggerCapture.Line line : camel.lines()) {
                assertFalse(line.level().isMoreSpecificThan(Level.WARN) && line.message().contains("mailbridge-imap:"),
                        "Camel's poll failure WARN: " + line);
            }
            log.lines().forEach(l -> assertFalse(l.message().contains(password), "password in " + l));
            System.out.println(warns.get(0));
            return warns;
        }
    }
}
