package io.mailbridge.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Route step after {@link MessageRecordMapper}: the record as one line of JSON (Jackson), as bytes.
 * Exchanges the consumer prepared ahead of the route (mapper and this step run on its prepare
 * threads) carry {@link #PREPARED} and pass both steps unchanged.
 */
public class RecordJson implements Processor {

    /** Exchange property: the body is already the record's JSON. */
    public static final String PREPARED = "MailbridgeRecordJson";

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        if (exchange.getProperty(PREPARED, false, Boolean.class)) {
            return;
        }
        MessageRecord record = exchange.getMessage().getMandatoryBody(MessageRecord.class);
        exchange.getMessage().setBody(json.writeValueAsBytes(record));
    }

    /** What the consumer's prepare threads run: mapping and JSON, the CPU-heavy part of a delivery. */
    public static Processor preparer(MessageRecordMapper mapper, RecordJson json) {
        return exchange -> {
            mapper.process(exchange);
            json.process(exchange);
            exchange.setProperty(PREPARED, true);
        };
    }
}
