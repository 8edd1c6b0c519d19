package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.support.DamagedMessages.Case;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** Maps raw messages with the record mapper as the consumer does, for the record tests. */
final class RecordMapping {

    private static final CamelContext CONTEXT = new DefaultCamelContext();
    private static final MessageRecordMapper MAPPER = new MessageRecordMapper();

    private RecordMapping() {
    }

    /** @param message the raw bytes, or a file holding them (a spooled message) */
    static MessageRecord map(Object message) throws Exception {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setBody(message);
        exchange.getMessage().setHeader(MailbridgeHeaders.KEY, "a/INBOX/1/1");
        MAPPER.process(exchange);
        return exchange.getMessage().getBody(MessageRecord.class);
    }

    /** The case's message becomes the record it expects: subject, text, html, warnings, attachment names, no error. */
    static MessageRecord assertCase(Case c) throws Exception {
        MessageRecord r = map(c.raw());
        assertEquals(c.subject(), r.subject(), c.name());
        assertEquals(c.text(), r.text(), c.name());
        assertEquals(c.html(), r.html(), c.name());
        assertEquals(c.warnings(), r.warnings(), c.name());
        assertEquals(c.attachmentNames(), r.attachments().stream().map(MessageRecord.Attachment::filename).toList(), c.name());
        assertNull(r.error(), c.name());
        return r;
    }
}
