package io.mailbridge.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.ChangeEventFiles;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with CONDSTORE and without QRESYNC (as Gmail): Dovecot announcing a capability list without QRESYNC.
 * Flags come from CHANGEDSINCE with their MODSEQ; expunges from a UID SEARCH when IDLE announces one (the
 * changes-scan-interval is left at 5 minutes here, so an event within seconds came through the announcement).
 */
class DovecotCondstoreOnlyChangesTest {

    static DovecotServer dovecot;

    @TempDir
    Path data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.startWithConfig("condstore-only", "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID"
                + " ENABLE IDLE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE ESEARCH LITERAL+ MOVE SPECIAL-USE\n");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

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
    void flagsByChangedSinceAndExpungesByTheIdleAnnouncement() throws Exception {
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            long[] uids = new long[3];
            for (int i = 0; i < 3; i++) {
                uids[i] = imap.append("INBOX", TestMessages.plain("a@example.com", "alice@localhost", "m" + i, "x\n"),
                        new Flags(), new java.util.Date());
            }
            try (RunningMailbridge mb = RunningMailbridge.start(data.resolve("run"), dovecot.port(), 1, DovecotServer.USER,
                    DovecotServer.PASSWORD, Map.of("mail.imap.changes", "true", "mail.imap.poll-delay", "60s",
                            "mail.changes.uri", "file:" + data.resolve("changes") + "?tempPrefix=.writing-"))) {
                mb.awaitRecords(3);
                DovecotIdleTest.awaitIdling(mb);
                imap.setFlags("INBOX", uids[0], new Flags("$Done"), true);
                JsonNode flagged = awaitEvents(1).get(0);
                assertEquals("flags", flagged.get("change").asText());
                assertTrue(flagged.get("modseq").isNumber(), "CONDSTORE gives the MODSEQ: " + flagged);

                imap.expunge("INBOX", uids[1], uids[2]);
                List<JsonNode> events = awaitEvents(3);
                Thread.sleep(1000);
                events = events();
                assertEquals(3, events.size(), events.toString());
                assertEquals(List.of(uids[1], uids[2]), events.subList(1, 3).stream().map(e -> e.get("uid").asLong()).toList());
                assertTrue(events.subList(1, 3).stream().allMatch(e -> e.get("change").asText().equals("expunged")));
            }
        }
    }
}
