package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.MailbridgeProcess;
import io.mailbridge.support.RunningMailbridge;
import jakarta.mail.Flags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILL while change events are being delivered: after the restart every change is reported, and what is
 * reported twice is at most the event in flight at the kill (the change state is saved after each acknowledgement).
 * The change sink appends to each event's file, so an event written twice shows as two documents in one file.
 */
class ChangesCrashTest {

    private static final int MESSAGES = 400;
    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void fill() throws Exception {
        dovecot = DovecotServer.start("changes-crash");
        dovecot.deliverNumbered("INBOX", MESSAGES, "crash");
    }

    @AfterAll
    static void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void aKillMidBatchRepeatsAtMostTheEventInFlight() throws Exception {
        Path changes = data.resolve("changes");
        Map<String, String> p = new HashMap<>();
        p.put("mail.embedded.enabled", "false");
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(dovecot.port()));
        p.put("mail.imap.username", DovecotServer.USER);
        p.put("mail.imap.password", DovecotServer.PASSWORD);
        p.put("mail.imap.idle", "false");
        p.put("mail.imap.poll-delay", "200");
        p.put("mail.imap.changes", "true");
        p.put("mail.changes.uri", "file:" + changes + "?fileExist=Append");
        try (MailbridgeProcess first = MailbridgeProcess.start(data, p, data.resolve("first.log"));
                ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            RunningMailbridge.await(Duration.ofSeconds(60), () -> count(data.resolve("inbox")) >= MESSAGES, "the records");
            imap.setFlagsOnAll("INBOX", new Flags(Flags.Flag.SEEN)); // "mark all as read": one change per message
            RunningMailbridge.await(Duration.ofSeconds(60), () -> count(changes) >= MESSAGES / 4, "a quarter of the events");
            first.kill();
        }
        int beforeRestart = count(changes);
        assertTrue(beforeRestart < MESSAGES, "killed mid-batch: " + beforeRestart + " of " + MESSAGES);
        try (MailbridgeProcess second = MailbridgeProcess.start(data, p, data.resolve("second.log"))) {
            RunningMailbridge.await(Duration.ofSeconds(60), () -> count(changes) >= MESSAGES, "every change after the restart");
            Thread.sleep(1500); // a repeat beyond the one in flight would show up now
        }
        List<Path> files = RunningMailbridge.jsonFiles(changes);
        assertEquals(MESSAGES, files.size(), "one event per message");
        int documents = 0;
        for (Path f : files) {
            String text = Files.readString(f);
            documents += text.split("\"schema\"", -1).length - 1;
        }
        System.out.println("SIGKILL after " + beforeRestart + " of " + MESSAGES + " change events: " + (documents - MESSAGES)
                + " written twice");
        assertTrue(documents - MESSAGES <= 1, (documents - MESSAGES) + " events written twice (at most the one in flight)");
    }

    private static int count(Path dir) {
        try {
            return RunningMailbridge.jsonFiles(dir).size();
        } catch (IOException e) {
            return 0;
        }
    }
}
