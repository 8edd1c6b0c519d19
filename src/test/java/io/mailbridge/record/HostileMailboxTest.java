package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailbridge.support.DamagedMessages;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ExtremeMessages;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 end to end: hostile messages between normal ones in a real mailbox (Dovecot) all become
 * records, with their warnings, and the normal message after them arrives.
 */
class HostileMailboxTest {

    @TempDir
    Path data;

    private static byte[] plain(String subject) {
        return ("From: a@example.com\r\nTo: alice@localhost\r\nSubject: " + subject + "\r\n\r\n" + subject + " body\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aFoldedHeaderDeepNestingAndALoneCrDoNotHoldUpTheMailAfterThem() throws Exception {
        List<byte[]> messages = List.of(plain("before"), ExtremeMessages.foldedSubject(70_000),
                ExtremeMessages.nestedMultiparts(50_000), DamagedMessages.BARE_CR_IN_HEADER.raw(), plain("after"));
        try (DovecotServer dovecot = DovecotServer.start("hostile");
                ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create("Hostile");
            for (int i = 0; i < messages.size(); i++) {
                dovecot.deliverRaw("Hostile", "179600000" + i + ".hostile" + i + ".localhost", messages.get(i));
                imap.count("Hostile"); // one at a time, so UIDs follow the list
            }
            long start = System.nanoTime();
            try (RunningMailbridge mb = RunningMailbridge.start(data.resolve("run"), dovecot.port(), 1, DovecotServer.USER,
                    DovecotServer.PASSWORD, Map.of("mail.imap.folders", "Hostile"))) {
                List<JsonNode> records = new ArrayList<>(mb.awaitRecords(messages.size())); // at most 20 s
                long seconds = (System.nanoTime() - start) / 1_000_000_000;
                records.sort(Comparator.comparingLong(r -> r.get("uid").asLong()));
                assertEquals(messages.size(), records.size());
                assertEquals("before", records.get(0).get("subject").asText());
                assertTrue(records.get(1).get("subject").asText().startsWith(ExtremeMessages.FOLDED_SUBJECT_START));
                assertTrue(warnings(records.get(1)).get(0).startsWith("header Subject: "), warnings(records.get(1)).toString());
                assertEquals("nested 50000", records.get(2).get("subject").asText());
                assertTrue(warnings(records.get(2)).get(0).contains("MIME nesting deeper than 20 levels"),
                        warnings(records.get(2)).toString());
                assertEquals("bare cr inside", records.get(3).get("subject").asText());
                assertEquals("<bare-cr@example.com>", records.get(3).get("messageId").asText());
                assertEquals("after", records.get(4).get("subject").asText());
                assertEquals(List.of(), warnings(records.get(4)));
                assertFalse(Files.exists(data.resolve("run/dead-letter")), "nothing dead-lettered");
                System.out.println("5 records, 3 hostile, in " + seconds + " s");
            }
        }
    }

    private static List<String> warnings(JsonNode record) {
        List<String> out = new ArrayList<>();
        record.get("warnings").forEach(w -> out.add(w.asText()));
        return out;
    }
}
