package io.mailbridge.app;

import io.mailbridge.outbound.InvalidRequestException;
import io.mailbridge.outbound.OutboundRequestProcessor;
import io.mailbridge.outbound.SmtpFailures;
import io.mailbridge.record.UnparseableMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.util.TimeUtils;

/**
 * Error handling shared by the YAML routes (they name it with {@code routeConfigurationId}).
 *
 * <ul>
 * <li>{@code inbound-errors}: a dead-letter channel. A message that cannot become a record, or whose
 * record the sink refuses after the configured retries, goes to {@code mail.dead-letter.uri} as its
 * raw RFC 822 bytes with a {@code .error} file beside it; then the checkpoint moves on.</li>
 * <li>{@code outbound-errors}: an invalid request goes to {@code mail.outbox.failed-uri} with a
 * {@code .error} file, and so does one the SMTP server refused with a 5xx reply (with the reply).
 * Any other failure (SMTP down, timeouts, 4xx) is retried with back-off and the request stays in the
 * outbox until the server accepts it.</li>
 * </ul>
 */
public class ErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        int redeliveries = Integer.parseInt(resolve("{{mail.sink.max-redeliveries:3}}"));
        long delay = TimeUtils.toMilliSeconds(resolve("{{mail.sink.redelivery-delay:1s}}"));

        routeConfiguration("inbound-errors")
                .errorHandler(deadLetterChannel("direct:dead-letter")
                        .useOriginalMessage()
                        .maximumRedeliveries(redeliveries)
                        .redeliveryDelay(delay)
                        .useExponentialBackOff()
                        .retryAttemptedLogLevel(LoggingLevel.WARN));

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

    private String resolve(String placeholder) {
        return getContext().resolvePropertyPlaceholders(placeholder);
    }

    /** Parks what could not be delivered, raw, with the reason; a second flow written in Java DSL. */
    public static class FailureRoutes extends org.apache.camel.builder.RouteBuilder {
        @Override
        public void configure() {
            from("direct:dead-letter").routeId("dead-letter")
                    .setProperty("deadLetterName", simple("${header.MailbridgeKey}", String.class))
                    .log(LoggingLevel.WARN, "Dead-lettered ${header.MailbridgeKey}: ${exception.message}")
                    .setHeader(Exchange.FILE_NAME, simple("${exchangeProperty.deadLetterName}.eml"))
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
