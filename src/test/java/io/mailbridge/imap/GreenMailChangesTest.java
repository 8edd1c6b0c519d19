package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.ChangeEventFiles;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change events on a server without CONDSTORE (GreenMail): the fallback compares the folder's flags and UIDs with
 * those last reported every changes-scan-interval (300 ms here instead of 5 minutes).
 */
class GreenMailChangesTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));


    @TempDir
    Path data;

    private List<JsonNode> allEvents() throws IOException {
        return new ChangeEventFiles(data.resolve("changes")).all();
    }

    private List<JsonNode> events() throws IOException {
        return new ChangeEventFiles(data.resolve("changes")).withoutDeletedMarks();
    }

    private List<JsonNode> awaitEvents(int count) throws Exception {
        return new ChangeEventFiles(data.resolve("changes")).await(count, Duration.ofSeconds(10));
    }

    @Test
    void withoutCondstoreAScanFindsFlagChangesAndExpunges() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        try (ImapClient imap = new ImapClient(greenMail.getImap().getPort(), "alice", "secret")) {
            long first = imap.append("INBOX", TestMessages.plain("a@example.com", "alice@localhost", "one", "one\n"),
                    new Flags(), new java.util.Date());
            long second = imap.append("INBOX", TestMessages.plain("a@example.com", "alice@localhost", "two", "two\n"),
                    new Flags(), new java.util.Date());
            try (RunningMailbridge mb = RunningMailbridge.start(data.resolve("run"), greenMail.getImap().getPort(),
                    greenMail.getSmtp().getPort(), "alice", "secret", Map.of("mail.imap.changes", "true",
                            "mail.imap.changes-scan-interval", "300ms", "mail.imap.idle", "false",
                            "mail.changes.uri", "file:" + data.resolve("changes") + "?tempPrefix=.writing-"))) {
                List<JsonNode> records = mb.awaitRecords(2);
                assertEquals(2, records.size());
                Thread.sleep(800); // scans with nothing changed: no event
                assertEquals(0, events().size(), events().toString());

                imap.setFlags("INBOX", first, new Flags("$Done"), true);
                JsonNode flagged = awaitEvents(1).get(0);
                assertEquals("flags", flagged.get("change").asText());
                assertEquals(first, flagged.get("uid").asLong());
                assertTrue(flagged.get("flags").toString().contains("$Done"), flagged.toString());
                assertTrue(flagged.get("modseq").isNull(), "no CONDSTORE, no MODSEQ: " + flagged);

                imap.expunge("INBOX", second);
                List<JsonNode> events = awaitEvents(2);
                Thread.sleep(1000); // a second report would show up now
                events = events();
                assertEquals(2, events.size(), events.toString());
                assertEquals("expunged", events.get(1).get("change").asText());
                assertEquals(second, events.get(1).get("uid").asLong());
            }
        }
    }
}
