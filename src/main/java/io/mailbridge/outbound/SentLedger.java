package io.mailbridge.outbound;

/**
 * The Message-IDs already accepted by the SMTP server: a request whose Message-ID is here is not
 * sent again, even after a restart. {@link FileSentLedger} for one node, {@link JdbcSentLedger} when
 * replicas share PostgreSQL.
 */
public interface SentLedger {

    boolean contains(String messageId) throws Exception;

    /** Durable when this returns. */
    void record(String messageId, String sentRecordJson) throws Exception;
}
