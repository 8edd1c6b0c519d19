package io.mailbridge.outbound;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Route step before {@code smtp:}: parses the request in the body and leaves exactly the headers
 * camel-mail turns into the message (To, Cc, Bcc, From, Reply-To, Subject) and the text as body.
 * Any other header is dropped, because camel-mail would copy it into the mail.
 */
public class OutboundRequestProcessor implements Processor {

    /** Exchange property with the name under which failure files are written. */
    public static final String REQUEST_NAME = "MailbridgeRequestName";

    private final OutboundRequestParser parser;

    public OutboundRequestProcessor(OutboundRequestParser parser) {
        this.parser = parser;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String name = in.getHeader(Exchange.FILE_NAME, String.class);
        exchange.setProperty(REQUEST_NAME, name != null ? name : exchange.getExchangeId());
        OutboundRequest request = parser.parse(in.getBody(byte[].class));
        in.removeHeaders("*", "Camel*");
        in.setHeader("To", String.join(", ", request.to()));
        if (!request.cc().isEmpty()) {
            in.setHeader("Cc", String.join(", ", request.cc()));
        }
        if (!request.bcc().isEmpty()) {
            in.setHeader("Bcc", String.join(", ", request.bcc()));
        }
        if (!request.replyTo().isEmpty()) {
            in.setHeader("Reply-To", String.join(", ", request.replyTo()));
        }
        in.setHeader("From", request.from());
        in.setHeader("Subject", request.subject());
        in.setBody(request.text());
    }
}
