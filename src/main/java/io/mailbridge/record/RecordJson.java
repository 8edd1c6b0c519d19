package io.mailbridge.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The record in the body as one line of JSON (Jackson), as bytes. */
public class RecordJson implements Processor {

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        MessageRecord record = exchange.getMessage().getMandatoryBody(MessageRecord.class);
        exchange.getMessage().setBody(json.writeValueAsBytes(record));
    }

    /** RFC 822 bytes to the record's JSON: what the IMAP consumer runs on its parse threads ({@code #recordMapper}). */
    public static Processor recordMapper(MessageRecordMapper mapper, RecordJson json) {
        return recordMapper(mapper, exchange -> { }, json);
    }

    /** @param enrich runs on the {@link MessageRecord} between mapping and JSON (the sent-ledger lookup of a delivery report) */
    public static Processor recordMapper(MessageRecordMapper mapper, Processor enrich, RecordJson json) {
        return exchange -> {
            Object raw = exchange.getMessage().getBody();
            try {
                mapper.process(exchange);
                enrich.process(exchange);
                json.process(exchange);
            } catch (Exception | Error e) {
                // whatever happens next (dead letter, or a retry after an Error) needs the raw message, not a half-made record
                exchange.getMessage().setBody(raw);
                throw e;
            }
        };
    }
}
