package io.mailbridge.outbound;

/**
 * The Message-IDs already accepted by the SMTP server: a request whose Message-ID is here is not
 * sent again, even after a restart. {@link FileSentLedger} for one node, {@link JdbcSentLedger} when
 * replicas share PostgreSQL.
 */
public interface SentLedger {

    boolean contains(String messageId) throws Exception;

    /**
     * The sent record ({@code mailbridge.sent/1} JSON) written for this Message-ID, or null when this
     * mailbridge did not send it: how a delivery report is tied to the request it is about.
     */
    String sentRecord(String messageId) throws Exception;

    /** Durable when this returns. */
    void record(String messageId, String sentRecordJson) throws Exception;
}
