package io.mailbridge.record;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One message as a {@code mailbridge.message/1} JSON record; the schema is documented in
 * docs/record-schema.md. Fields that a message lacks are null, never omitted.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "schema", "key", "account", "folder", "uidValidity", "uid", "flags", "internalDate", "date",
        "size", "messageId", "inReplyTo", "references", "subject", "from", "sender", "replyTo", "to", "cc", "bcc",
        "headers", "text", "html", "attachments", "raw", "error" })
public record MessageRecord(
        String schema,
        String key,
        String account,
        String folder,
        long uidValidity,
        long uid,
        List<String> flags,
        String internalDate,
        String date,
        long size,
        String messageId,
        String inReplyTo,
        List<String> references,
        String subject,
        List<Address> from,
        List<Address> sender,
        List<Address> replyTo,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        List<Header> headers,
        String text,
        String html,
        List<Attachment> attachments,
        String raw,
        String error) {

    public static final String SCHEMA = "mailbridge.message/1";

    /** A mailbox: display name (decoded, null when absent) and address. */
    public record Address(String name, String address) {
    }

    /** A header field as it appears in the message, unfolded, not decoded. */
    public record Header(String name, String value) {
    }

    /** Metadata of a non-body part; the content is not in the record, its SHA-256 is. */
    public record Attachment(String filename, String contentType, long size, String disposition, String contentId,
            String sha256) {
    }
}
