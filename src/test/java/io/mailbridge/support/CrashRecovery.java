package io.mailbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The crash scenario, shared by the GreenMail and Dovecot tests: a mailbridge process is SIGKILLed in
 * the middle of a large backfill and restarted; the sink must end with exactly one complete record
 * per message, and at most one fetch chunk may have been delivered twice.
 */
public final class CrashRecovery {

    private CrashRecovery() {
    }

    public static void run(Path data, int imapPort, String user, String password, int messages, int fetchSize)
            throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("mail.embedded.enabled", "false");
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(imapPort));
        props.put("mail.imap.username", user);
        props.put("mail.imap.password", password);
        props.put("mail.imap.poll-delay", "200");
        props.put("mail.imap.fetch-size", String.valueOf(fetchSize));
        props.put("mail.sink.log-level", "OFF");
        Path inbox = data.resolve("inbox");
        Path log = data.resolve("mailbridge.log");

        int beforeKill;
        try (MailbridgeProcess first = MailbridgeProcess.start(data, props, log)) {
            try {
                RunningMailbridge.await(Duration.ofSeconds(60), () -> count(inbox) >= messages / 5,
                        "first process wrote a fifth of the records");
            } catch (AssertionError e) {
                String text = first.logText();
                System.out.println("mailbridge log (tail):\n" + text.substring(Math.max(0, text.length() - 6000)));
                throw e;
            }
            first.kill();
            beforeKill = count(inbox);
        }
        assertTrue(beforeKill < messages, "killed before the end of the backfill (" + beforeKill + " of " + messages + ")");

        try (MailbridgeProcess second = MailbridgeProcess.start(data, props, log)) {
            try {
                RunningMailbridge.await(Duration.ofSeconds(120), () -> count(inbox) >= messages, "all records after restart");
            } catch (AssertionError e) {
                String text = second.logText();
                System.out.println("mailbridge log (tail):\n" + text.substring(Math.max(0, text.length() - 6000)));
                throw e;
            }
            Thread.sleep(1000); // further polls must add nothing
            int newAfterRestart = second.loggedNewMessages();
            int replayed = newAfterRestart - (messages - beforeKill);
            System.out.printf("crash test: %d messages, SIGKILL with %d records written, restart delivered %d (%d replayed)%n",
                    messages, beforeKill, newAfterRestart, replayed);
            assertTrue(replayed >= 0 && replayed <= fetchSize,
                    "after a kill at most the chunk in flight is delivered again; replayed " + replayed);
        }

        ObjectMapper json = new ObjectMapper();
        TreeSet<Long> uids = new TreeSet<>();
        List<Path> files = RunningMailbridge.jsonFiles(inbox);
        for (Path f : files) {
            JsonNode record = json.readTree(f.toFile()); // a torn write would not parse
            assertEquals(f.getFileName().toString(), record.get("uid").asLong() + ".json");
            uids.add(record.get("uid").asLong());
        }
        assertEquals(messages, files.size(), "one record file per message");
        assertEquals(messages, uids.size(), "no message missing");
        try (Stream<Path> all = Files.walk(inbox)) {
            assertEquals(0, all.filter(p -> p.getFileName().toString().startsWith(".writing-")).count(),
                    "no half-written temp file left");
        }
    }

    static int count(Path inbox) {
        try {
            return RunningMailbridge.jsonFiles(inbox).size();
        } catch (Exception e) {
            return 0;
        }
    }
}
