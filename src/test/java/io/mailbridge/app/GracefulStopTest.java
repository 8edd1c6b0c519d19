package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.MailbridgeProcess;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a 10,000-message backfill: mailbridge stops handing over new messages at once, lets
 * the deliveries in flight finish, commits the checkpoint over them and exits within seconds, with its log
 * complete up to Camel's "shutdown in" line; a restart delivers exactly the rest, none of the records twice.
 */
class GracefulStopTest {

    private static final int MESSAGES = 10_000;
    private static final Pattern RECORD = Pattern.compile("(\\S+/INBOX/\\d+/(\\d+)) flags=");
    private static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void fill() throws Exception {
        dovecot = DovecotServer.start("graceful");
        dovecot.deliverNumbered("INBOX", MESSAGES, "stop");
    }

    @AfterAll
    static void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void sigtermMidBackfillStopsPromptlyWithACompleteLogAndARestartRepeatsNothing() throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("mail.embedded.enabled", "false");
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(dovecot.port()));
        p.put("mail.imap.username", DovecotServer.USER);
        p.put("mail.imap.password", DovecotServer.PASSWORD);
        p.put("mail.sink.log-level", "INFO");
        Path firstLog = data.resolve("first.log");
        Duration exit;
        try (MailbridgeProcess first = MailbridgeProcess.start(data, p, firstLog)) {
            RunningMailbridge.await(Duration.ofSeconds(90), () -> first.loggedRecords() >= 1000, "1,000 records before the stop");
            exit = first.terminate(Duration.ofSeconds(30));
        }
        String log = Files.readString(firstLog);
        Set<String> before = keys(log);
        assertTrue(exit.toMillis() < 5000, "exited " + exit.toMillis() + " ms after SIGTERM");
        assertTrue(before.size() < MESSAGES - 2000, "the stop did not wait for the backlog: " + before.size() + " delivered");
        List<String> lines = log.lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        System.out.println("after SIGTERM (" + exit.toMillis() + " ms):\n" + String.join("\n",
                lines.stream().filter(l -> l.contains("SIGTERM") || l.contains(" new, uid") || l.contains("stopped with")).toList())
                + "\n...\n" + tail);
        int sigterm = indexOf(lines, "triggered by SIGTERM");
        int stopped = indexOf(lines, ") shutdown in ");
        assertTrue(sigterm >= 0 && stopped > sigterm, "the log goes on after SIGTERM up to Camel's 'shutdown in' line:\n" + tail);
        assertTrue(log.contains("stopped with") || !log.contains("incomplete"), "a stop that leaves records unconfirmed says so:\n" + tail);

        Path secondLog = data.resolve("second.log");
        try (MailbridgeProcess second = MailbridgeProcess.start(data, p, secondLog)) {
            RunningMailbridge.await(Duration.ofSeconds(120), () -> second.loggedRecords() >= MESSAGES - before.size(),
                    "the rest of the folder after the restart");
            Thread.sleep(1000); // one more poll: nothing else may come
            Set<String> after = keys(second.logText());
            Set<String> twice = new LinkedHashSet<>(after);
            twice.retainAll(before);
            assertTrue(twice.isEmpty(), twice.size() + " records delivered again after a clean stop, e.g. "
                    + twice.stream().limit(3).toList());
            assertEquals(MESSAGES, before.size() + after.size());
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static Set<String> keys(String log) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher m = RECORD.matcher(log);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }
}
