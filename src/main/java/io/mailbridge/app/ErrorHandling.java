package io.mailbridge.app;

import io.mailbridge.component.MailbridgeHeaders;

import io.mailbridge.outbound.InvalidRequestException;
import io.mailbridge.outbound.OutboundRequestProcessor;
import io.mailbridge.outbound.SmtpFailures;
import io.mailbridge.record.RecordMappingException;
import io.mailbridge.record.UnparseableMessageException;
import io.mailbridge.sink.SinkFailures;
import io.mailbridge.sink.SinkStatus;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.util.TimeUtils;

/**
 * Error handling shared by the YAML routes (they name it with {@code routeConfigurationId}).
 *
 * <ul>
 * <li>{@code inbound-errors}: a message that cannot become a record goes to {@code mail.dead-letter.uri}
 * as its raw RFC 822 bytes ({@code .eml}) with a {@code .error} file beside it, and a record the sink
 * refused for good ({@link SinkFailures#PERMANENT_REFUSALS}) goes there as {@code .json} with the
 * broker's reason; then the checkpoint moves on. Any other failure is a sink outage: retried with
 * back-off and no limit, holding the checkpoint (see {@link #inboundErrors()}).</li>
 * <li>{@code outbound-errors}: an invalid request goes to {@code mail.outbox.failed-uri} with a
 * {@code .error} file, and so does one the SMTP server refused with a 5xx reply (with the reply).
 * Any other failure (SMTP down, timeouts, 4xx) is retried with back-off and the request stays in the
 * outbox until the server accepts it.</li>
 * </ul>
 */
public class ErrorHandling extends RouteConfigurationBuilder {

    /** Exchange property: the file extension of a dead letter (eml: raw message, json: a refused record). */
    public static final String DEAD_LETTER_EXTENSION = "MailbridgeDeadLetterExtension";

    @Override
    public void configuration() {
        inboundErrors();

        // transient SMTP failures: retried with back-off, then the request stays in the outbox for the next poll
        var outbound = routeConfiguration("outbound-errors");
        outbound.errorHandler(defaultErrorHandler()
                .maximumRedeliveries(Integer.parseInt(resolve("{{mail.smtp.max-redeliveries:5}}")))
                .redeliveryDelay(TimeUtils.toMilliSeconds(resolve("{{mail.smtp.redelivery-delay:1s}}")))
                .maximumRedeliveryDelay(TimeUtils.toMilliSeconds(resolve("{{mail.smtp.max-redelivery-delay:1m}}")))
                .useExponentialBackOff()
                .retryAttemptedLogLevel(LoggingLevel.WARN));
        outbound.onException(InvalidRequestException.class)
                .handled(true)
                .useOriginalMessage()
                .to("direct:outbound-failed");
        // permanent ones (5xx): the server said no, retrying cannot help
        outbound.onException(jakarta.mail.MessagingException.class)
                .onWhen(new SmtpFailures())
                .handled(true)
                .useOriginalMessage()
                .to("direct:outbound-failed");
    }

    /**
     * Only a message that cannot become a record, or a record the sink refuses for good, is
     * dead-lettered. Any other failure means the sink is unavailable: the record is retried with
     * growing waits and no limit, while the consumer (one exchange at a time, in UID order) fetches
     * nothing further and the checkpoint stays where it is. Stopping ends the wait within a second
     * (no redelivery while stopping); the record's exchange then fails and is fetched again later.
     */
    private void inboundErrors() {
        SinkStatus sink = getContext().getRegistry().lookupByNameAndType("sinkStatus", SinkStatus.class);
        if (sink == null) {
            throw new IllegalStateException("no sinkStatus bean: MailbridgeConfiguration must run before ErrorHandling");
        }
        var inbound = routeConfiguration("inbound-errors");
        inbound.errorHandler(defaultErrorHandler()
                .maximumRedeliveries(-1)
                .allowRedeliveryWhileStopping(false)
                // SinkStatus logs one WARN per try with the cause and the next try, and sets the wait
                // (CamelRedeliveryDelay, from mail.sink.redelivery-delay / max-redelivery-delay): the one
                // back-off formula, so no delay is configured on the policy here
                .onExceptionOccurred(sink.onFailure())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .logExhaustedMessageHistory(false)
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG));
        // the consumer hands a message it could not map to this handler directly, marked as bridged (RouteDeliveries);
        // the mark is dropped here, or the dead-letter route would take the exchange for a failure of its own
        inbound.onException(UnparseableMessageException.class, RecordMappingException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .useOriginalMessage()
                .removeProperty(Exchange.ERRORHANDLER_BRIDGE)
                .setProperty(DEAD_LETTER_EXTENSION, constant("eml"))
                .to("direct:dead-letter");
        inbound.onException(Exception.class)
                .onWhen(SinkFailures.permanentRefusal())
                .handled(true)
                .maximumRedeliveries(0)
                .setProperty(DEAD_LETTER_EXTENSION, constant("json"))
                .to("direct:dead-letter");
    }

    private String resolve(String placeholder) {
        return getContext().resolvePropertyPlaceholders(placeholder);
    }

    /** Parks what could not be delivered, raw, with the reason; a second flow written in Java DSL. */
    public static class FailureRoutes extends org.apache.camel.builder.RouteBuilder {
        @Override
        public void configure() {
            from("direct:dead-letter").routeId("dead-letter")
                    // a change event the sink refused for good is parked under its own id, beside (not over) its record
                    .process(e -> e.setProperty("deadLetterName", e.getMessage().getHeader(MailbridgeHeaders.CHANGE_ID,
                            e.getMessage().getHeader(MailbridgeHeaders.KEY, String.class), String.class)))
                    .log(LoggingLevel.WARN, "Dead-lettered ${exchangeProperty.deadLetterName}: ${exception.message}")
                    .setHeader(Exchange.FILE_NAME, simple("${exchangeProperty.deadLetterName}.${exchangeProperty."
                            + DEAD_LETTER_EXTENSION + "}"))
                    .to("{{mail.dead-letter.uri}}")
                    .setBody(simple("${exception.message}\n\n${exception.stacktrace}\n"))
                    .setHeader(Exchange.FILE_NAME, simple("${exchangeProperty.deadLetterName}.error"))
                    .to("{{mail.dead-letter.uri}}");

            from("direct:outbound-failed").routeId("outbound-failed")
                    .log(LoggingLevel.WARN, "Outbound request ${exchangeProperty." + OutboundRequestProcessor.REQUEST_NAME
                            + "} not sent, moved to the failed folder: ${exception.message}")
                    .setHeader(Exchange.FILE_NAME, exchangeProperty(OutboundRequestProcessor.REQUEST_NAME))
                    .to("{{mail.outbox.failed-uri}}")
                    .process(e -> e.getMessage().setBody(
                            SmtpFailures.describe(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)) + "\n"))
                    .setHeader(Exchange.FILE_NAME, simple("${exchangeProperty." + OutboundRequestProcessor.REQUEST_NAME + "}.error"))
                    .to("{{mail.outbox.failed-uri}}");
        }
    }
}
