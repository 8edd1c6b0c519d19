package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailbridge.outbound.FileSentLedger;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.ReportMessages;
import io.mailbridge.support.ReportMessages.Report;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 end to end on a real server: the delivery reports, read receipt, malformed reports and
 * auto-replies of {@link ReportMessages}, delivered byte for byte to Dovecot, become exactly their records;
 * the message they are about is in the sent ledger, so each report about it names the request.
 */
class DovecotDeliveryReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the server decides (and the mapper alone cannot know), left out of the whole-record comparison. */
    private static final List<String> SERVER_FIELDS = List.of("key", "account", "folder", "uidValidity", "uid", "flags",
            "internalDate", "size", "deliveryReport");

    @TempDir
    Path data;

    @Test
    void eachReportBecomesExactlyItsRecord() throws Exception {
        List<Report> reports = ReportMessages.ALL;
        Path run = data.resolve("run");
        new FileSentLedger(run.resolve("outbox-ledger")).record(ReportMessages.ORIGINAL_ID, """
                {"schema": "mailbridge.sent/1", "id": "order-42", "messageId": "%s", "sentAt": "2026-12-07T21:59:57.120Z"}
                """.formatted(ReportMessages.ORIGINAL_ID));
        try (DovecotServer dovecot = DovecotServer.start("reports");
                ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create("Reports");
            for (int i = 0; i < reports.size(); i++) {
                dovecot.deliverRaw("Reports", "179700000" + i + ".report" + i + ".localhost", reports.get(i).raw());
                imap.count("Reports"); // one at a time, so UIDs follow the list
            }
            try (RunningMailbridge mb = RunningMailbridge.start(run, dovecot.port(), 1, DovecotServer.USER,
                    DovecotServer.PASSWORD, Map.of("mail.imap.folders", "Reports"))) {
                List<JsonNode> records = new ArrayList<>(mb.awaitRecords(reports.size()));
                records.sort(Comparator.comparingLong(r -> r.get("uid").asLong()));
                assertEquals(reports.size(), records.size());
                for (int i = 0; i < reports.size(); i++) {
                    Report c = reports.get(i);
                    JsonNode r = records.get(i);
                    assertEquals(withSentByMailbridge(c.deliveryReport()), r.get("deliveryReport"), c.name());
                    DeliveryReportTest.assertOtherFields(c, r);
                    assertEquals(withoutServerFields(JSON.readTree(JSON.writeValueAsBytes(RecordMapping.map(c.raw())))), withoutServerFields(r), c.name());
                }
                assertFalse(Files.exists(run.resolve("dead-letter")), "nothing dead-lettered");
            }
        }
    }

    /** The expected report, tied to the request when it is about the message in the ledger. */
    private static JsonNode withSentByMailbridge(String expected) throws Exception {
        if (expected == null) {
            return JSON.nullNode();
        }
        ObjectNode report = (ObjectNode) JSON.readTree(expected);
        if (ReportMessages.ORIGINAL_ID.equals(report.get("originalMessageId").asText())) {
            report.set("sentByMailbridge", JSON.readTree("""
                    {"requestId": "order-42", "messageId": "%s", "sentAt": "2026-12-07T21:59:57.120Z"}
                    """.formatted(ReportMessages.ORIGINAL_ID)));
        }
        return report;
    }

    private static JsonNode withoutServerFields(JsonNode record) {
        ObjectNode copy = record.deepCopy();
        SERVER_FIELDS.forEach(copy::remove);
        return copy;
    }
}
