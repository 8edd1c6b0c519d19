package io.mailbridge.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.mailbridge.cluster.Database;
import io.mailbridge.record.MessageRecord;
import io.mailbridge.record.MessageRecordMapper;
import io.mailbridge.record.report.DeliveryReport.SentByMailbridge;
import io.mailbridge.support.ReportMessages;
import io.mailbridge.support.TestDatabase;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20: a delivery report is tied to the request it is about through the sent ledger, file or PostgreSQL. */
class OwnMailReportsTest {

    private static final String SENT = """
            {"schema": "mailbridge.sent/1", "id": "order-42", "request": "order.txt", "messageId": "%s",
             "to": ["nobody@example.net"], "sentAt": "2026-12-07T21:59:57.120Z"}""".formatted(ReportMessages.ORIGINAL_ID);
    private static final SentByMailbridge EXPECTED = new SentByMailbridge("order-42", ReportMessages.ORIGINAL_ID,
            "2026-12-07T21:59:57.120Z");

    @TempDir
    Path dir;

    /** The report's record after the mapper and the lookup, as the consumer makes it; the exchange keeps the outcomes. */
    private static Exchange map(byte[] raw, SentLedger ledger) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(raw);
        new MessageRecordMapper().process(exchange);
        new OwnMailReports(ledger).process(exchange);
        return exchange;
    }

    private static MessageRecord record(Exchange exchange) {
        return exchange.getMessage().getBody(MessageRecord.class);
    }

    @Test
    void theFileLedgerFindsWhatItSent() throws Exception {
        FileSentLedger ledger = new FileSentLedger(dir);
        assertNull(ledger.sentRecord(ReportMessages.ORIGINAL_ID));
        ledger.record(ReportMessages.ORIGINAL_ID, SENT);
        assertEquals(SENT, ledger.sentRecord(ReportMessages.ORIGINAL_ID));

        Exchange bounce = map(ReportMessages.POSTFIX_BOUNCE.raw(), ledger);
        assertEquals(EXPECTED, record(bounce).deliveryReport().sentByMailbridge());
        assertEquals(List.of(new OwnMailReports.Outcome("order-42", ReportMessages.ORIGINAL_ID, "nobody@example.net", "failed",
                "5.1.1", "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table")),
                bounce.getProperty(OwnMailReports.OUTCOMES));

        Exchange delay = map(ReportMessages.POSTFIX_DELAY.raw(), ledger);
        assertEquals("delayed", ((List<?>) delay.getProperty(OwnMailReports.OUTCOMES)).stream()
                .map(o -> ((OwnMailReports.Outcome) o).action()).findFirst().orElseThrow());

        Exchange receipt = map(ReportMessages.READ_RECEIPT.raw(), ledger);
        assertEquals(EXPECTED, record(receipt).deliveryReport().sentByMailbridge(), "a read receipt is tied too");
        assertNull(receipt.getProperty(OwnMailReports.OUTCOMES), "a read receipt is no bounce");
    }

    @Test
    void aReportAboutMailWeDidNotSendHasNoSentByMailbridge() throws Exception {
        Exchange exchange = map(ReportMessages.EXIM_BOUNCE.raw(), new FileSentLedger(dir));
        assertNull(record(exchange).deliveryReport().sentByMailbridge());
        assertNull(exchange.getProperty(OwnMailReports.OUTCOMES));
        assertEquals(List.of(), record(exchange).warnings());
    }

    @Test
    void theJdbcLedgerFindsWhatAnyReplicaSent() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                HikariDataSource ds = Database.open(db.url(), TestDatabase.USER, "", Duration.ofSeconds(2))) {
            Database.createSchema(ds, db.url());
            JdbcSentLedger ledger = new JdbcSentLedger(ds);
            assertNull(ledger.sentRecord(ReportMessages.ORIGINAL_ID));
            ledger.record(ReportMessages.ORIGINAL_ID, SENT);
            assertEquals(SENT, ledger.sentRecord(ReportMessages.ORIGINAL_ID));
            assertEquals(EXPECTED, record(map(ReportMessages.GMAIL_BOUNCE.raw(), new JdbcSentLedger(ds)))
                    .deliveryReport().sentByMailbridge());
        }
    }

    @Test
    void aLedgerThatCannotBeReadLeavesAWarningNotADeadLetter() throws Exception {
        SentLedger down = new SentLedger() {
            @Override
            public boolean contains(String messageId) throws SQLException {
                throw new SQLException("Connection to 127.0.0.1:5432 refused");
            }

            @Override
            public String sentRecord(String messageId) throws SQLException {
                throw new SQLException("Connection to 127.0.0.1:5432 refused");
            }

            @Override
            public void record(String messageId, String sentRecordJson) {
                throw new UnsupportedOperationException();
            }
        };
        MessageRecord r = record(map(ReportMessages.SENDMAIL_BOUNCE.raw(), down));
        assertNull(r.deliveryReport().sentByMailbridge());
        assertEquals(2, r.deliveryReport().recipients().size(), "the rest of the report is there");
        assertEquals(List.of("deliveryReport: the sent ledger cannot be read (Connection to 127.0.0.1:5432 refused);"
                + " sentByMailbridge is null"), r.warnings());
    }
}
