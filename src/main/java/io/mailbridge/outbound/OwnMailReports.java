package io.mailbridge.outbound;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.component.Causes;
import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.record.MessageRecord;
import io.mailbridge.record.report.DeliveryReport;
import io.mailbridge.record.report.DeliveryReport.Recipient;
import io.mailbridge.record.report.DeliveryReport.SentByMailbridge;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Record mapping step after the mapper: a delivery report about a message this mailbridge sent (its
 * {@code originalMessageId} is in the {@link SentLedger}) gets {@code sentByMailbridge}, and its failed and
 * delayed recipients go to the exchange property {@link #OUTCOMES}, which {@link OutboundMetrics} counts
 * and logs once the record is delivered (so a record fetched again after a crash is not counted twice
 * before it is). A ledger that cannot be read leaves {@code sentByMailbridge} null with a warning: the
 * record is never held back or dead-lettered for it.
 */
public class OwnMailReports implements Processor {

    /** Exchange property: the {@link Outcome}s of a report about our own mail, for {@link OutboundMetrics}. */
    public static final String OUTCOMES = "MailbridgeOwnMailOutcomes";

    private static final Logger LOG = LoggerFactory.getLogger(OwnMailReports.class);

    private final SentLedger ledger;
    private final ObjectMapper json = new ObjectMapper();

    public OwnMailReports(SentLedger ledger) {
        this.ledger = ledger;
    }

    /** A recipient of our own message that failed or was delayed, as the report says. */
    public record Outcome(String requestId, String messageId, String recipient, String action, String status,
            String diagnosticCode) {

        boolean failed() {
            return "failed".equals(action);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        MessageRecord record = exchange.getMessage().getBody(MessageRecord.class);
        DeliveryReport report = record == null ? null : record.deliveryReport();
        if (report == null || report.originalMessageId() == null) {
            return;
        }
        SentByMailbridge sent;
        try {
            sent = lookUp(report.originalMessageId());
        } catch (Exception e) {
            String why = Causes.rootMessage(e);
            LOG.warn("The sent ledger could not be read for the delivery report {}: {}; its record has sentByMailbridge null",
                    exchange.getMessage().getHeader(MailbridgeHeaders.KEY), why);
            LOG.debug("Sent ledger lookup failed", e);
            exchange.getMessage().setBody(record.withDeliveryReport(report, "deliveryReport: the sent ledger cannot be read ("
                    + why + "); sentByMailbridge is null"));
            return;
        }
        if (sent == null) {
            return;
        }
        exchange.getMessage().setBody(record.withDeliveryReport(report.withSentByMailbridge(sent), null));
        List<Outcome> outcomes = new ArrayList<>();
        for (Recipient r : report.recipients()) {
            if ("failed".equals(r.action()) || "delayed".equals(r.action())) {
                outcomes.add(new Outcome(sent.requestId(), sent.messageId(), r.finalRecipient(), r.action(), r.status(),
                        r.diagnosticCode()));
            }
        }
        if (!outcomes.isEmpty()) {
            exchange.setProperty(OUTCOMES, List.copyOf(outcomes));
        }
    }

    /** The sent record's id, messageId and sentAt, or null when this mailbridge did not send that message. */
    private SentByMailbridge lookUp(String messageId) throws Exception {
        String sentRecord = ledger.sentRecord(messageId);
        if (sentRecord == null) {
            return null;
        }
        JsonNode sent = json.readTree(sentRecord);
        return new SentByMailbridge(text(sent, "id"), text(sent, "messageId"), text(sent, "sentAt"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
