package io.mailbridge.outbound;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Where a request came from, as far as it matters for naming it: the outbox file name, or the
 * broker's id for the message (Kafka topic-partition-offset, the JMS message id, the AMQP
 * message_id). That id is stable when the same message is read again after a crash, so a request
 * without its own {@code id} still gets the same Message-ID, and the sent ledger recognises it.
 *
 * @param name a file-safe name for the sent and failed copies
 * @param identity what is hashed together with the body into the Message-ID (empty: the body alone)
 */
record RequestSource(String name, String identity) {

    static RequestSource of(Exchange exchange) {
        Message in = exchange.getMessage();
        String file = in.getHeader(Exchange.FILE_NAME, String.class);
        if (file != null) {
            return new RequestSource(file, "file:" + file + "\n");
        }
        String topic = in.getHeader("kafka.TOPIC", String.class);
        if (topic != null) {
            String id = topic + "-" + in.getHeader("kafka.PARTITION") + "-" + in.getHeader("kafka.OFFSET");
            return broker("kafka", id);
        }
        String jms = in.getHeader("JMSMessageID", String.class);
        if (jms != null) {
            return broker("jms", jms);
        }
        String amqp = in.getHeader("rabbitmq.MESSAGE_ID", String.class);
        if (amqp != null) {
            return broker("amqp", amqp);
        }
        // no id from the broker: the body alone identifies the request
        return new RequestSource(exchange.getExchangeId(), "file:\n");
    }

    /**
     * The name of a request read from a queue is its own {@code id} when it has one (README: its log line and
     * its sent and failed copies are named after it); an outbox file keeps its file name. The Message-ID does
     * not change: it is derived from the id already.
     */
    RequestSource named(String requestId) {
        if (requestId == null || requestId.isBlank() || identity.equals("file:" + name + "\n")) {
            return this;
        }
        String id = requestId.strip();
        String safe = id.replaceAll("[^A-Za-z0-9._@-]", "_");
        safe = safe.length() > 200 ? safe.substring(0, 200) : safe;
        if (!safe.equals(id)) { // order/1 and order:1 would share order_1: a short hash of the id keeps them apart
            safe += "-" + Integer.toHexString(id.hashCode());
        }
        return new RequestSource(safe.startsWith(".") ? "_" + safe : safe, identity); // a leading dot would hide the file
    }

    private static RequestSource broker(String kind, String id) {
        return new RequestSource(kind + "-" + id.replaceAll("[^A-Za-z0-9._-]", "_"), kind + ":" + id + "\n");
    }
}
