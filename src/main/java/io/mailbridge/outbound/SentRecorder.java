package io.mailbridge.outbound;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.smtp.SmtpProducer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * After the SMTP server accepted a message: records its Message-ID in the {@link SentLedger} and
 * turns the exchange into the sent record ({@code mailbridge.sent/1} JSON) for {@code mail.outbox.sent-uri}.
 */
public class SentRecorder implements Processor {

    private final SentLedger ledger;
    private final ObjectMapper json = new ObjectMapper();

    public SentRecorder(SentLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        OutboundRequest request = exchange.getProperty(OutboundRequestProcessor.REQUEST, OutboundRequest.class);
        String messageId = exchange.getProperty(OutboundRequestProcessor.MESSAGE_ID, String.class);
        String name = exchange.getProperty(OutboundRequestProcessor.REQUEST_NAME, String.class);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("schema", "mailbridge.sent/1");
        record.put("id", request.id());
        record.put("request", name);
        record.put("messageId", messageId);
        record.put("from", request.from());
        record.put("to", request.to());
        record.put("cc", request.cc());
        record.put("bcc", request.bcc());
        record.put("subject", request.subject());
        record.put("serverReply", exchange.getMessage().getHeader(SmtpProducer.SMTP_REPLY, String.class));
        record.put("sentAt", Instant.now().toString());
        String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(record);
        ledger.record(messageId, text);
        exchange.getMessage().setBody(text);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, name + ".sent.json");
    }
}
