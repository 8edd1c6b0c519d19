package io.mailbridge.record;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mailbridge.record.report.DeliveryReport;

/**
 * One message as a {@code mailbridge.message/1} JSON record; the schema is documented in
 * docs/record-schema.md. Fields that a message lacks are null, never omitted.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "schema", "key", "account", "folder", "uidValidity", "uid", "flags", "internalDate", "date",
        "size", "messageId", "inReplyTo", "references", "subject", "from", "sender", "replyTo", "to", "cc", "bcc",
        "headers", "autoSubmitted", "text", "html", "attachments", "deliveryReport", "raw", "error", "warnings" })
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
        String autoSubmitted,
        String text,
        String html,
        List<Attachment> attachments,
        DeliveryReport deliveryReport,
        String raw,
        String error,
        List<String> warnings) {

    public static final String SCHEMA = "mailbridge.message/1";

    /** Starts a record; lists default to empty, {@code schema} to {@link #SCHEMA}, everything else to null or 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a record field by field, by name. */
    public static final class Builder {
        private String schema = SCHEMA;
        private String key;
        private String account;
        private String folder;
        private long uidValidity;
        private long uid;
        private List<String> flags = List.of();
        private String internalDate;
        private String date;
        private long size;
        private String messageId;
        private String inReplyTo;
        private List<String> references = List.of();
        private String subject;
        private List<Address> from = List.of();
        private List<Address> sender = List.of();
        private List<Address> replyTo = List.of();
        private List<Address> to = List.of();
        private List<Address> cc = List.of();
        private List<Address> bcc = List.of();
        private List<Header> headers = List.of();
        private String autoSubmitted;
        private String text;
        private String html;
        private List<Attachment> attachments = List.of();
        private DeliveryReport deliveryReport;
        private String raw;
        private String error;
        private List<String> warnings = List.of();

        private Builder() {
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder folder(String folder) {
            this.folder = folder;
            return this;
        }

        public Builder uidValidity(long uidValidity) {
            this.uidValidity = uidValidity;
            return this;
        }

        public Builder uid(long uid) {
            this.uid = uid;
            return this;
        }

        public Builder flags(List<String> flags) {
            this.flags = flags;
            return this;
        }

        public Builder internalDate(String internalDate) {
            this.internalDate = internalDate;
            return this;
        }

        public Builder date(String date) {
            this.date = date;
            return this;
        }

        public Builder size(long size) {
            this.size = size;
            return this;
        }

        public Builder messageId(String messageId) {
            this.messageId = messageId;
            return this;
        }

        public Builder inReplyTo(String inReplyTo) {
            this.inReplyTo = inReplyTo;
            return this;
        }

        public Builder references(List<String> references) {
            this.references = references;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder from(List<Address> from) {
            this.from = from;
            return this;
        }

        public Builder sender(List<Address> sender) {
            this.sender = sender;
            return this;
        }

        public Builder replyTo(List<Address> replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder to(List<Address> to) {
            this.to = to;
            return this;
        }

        public Builder cc(List<Address> cc) {
            this.cc = cc;
            return this;
        }

        public Builder bcc(List<Address> bcc) {
            this.bcc = bcc;
            return this;
        }

        public Builder headers(List<Header> headers) {
            this.headers = headers;
            return this;
        }

        public Builder autoSubmitted(String autoSubmitted) {
            this.autoSubmitted = autoSubmitted;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder html(String html) {
            this.html = html;
            return this;
        }

        public Builder attachments(List<Attachment> attachments) {
            this.attachments = attachments;
            return this;
        }

        public Builder deliveryReport(DeliveryReport deliveryReport) {
            this.deliveryReport = deliveryReport;
            return this;
        }

        public Builder raw(String raw) {
            this.raw = raw;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        public Builder warnings(List<String> warnings) {
            this.warnings = warnings;
            return this;
        }

        public MessageRecord build() {
            return new MessageRecord(schema, key, account, folder, uidValidity, uid, flags, internalDate, date, size,
                    messageId, inReplyTo, references, subject, from, sender, replyTo, to, cc, bcc, headers, autoSubmitted,
                    text, html, attachments, deliveryReport, raw, error, warnings);
        }
    }

    /**
     * This record with another {@code deliveryReport} (its sent-ledger lookup filled in) and {@code warning}
     * added to {@code warnings} when not null.
     */
    public MessageRecord withDeliveryReport(DeliveryReport report, String warning) {
        List<String> allWarnings = warnings;
        if (warning != null) {
            allWarnings = new ArrayList<>(warnings);
            allWarnings.add(warning);
            allWarnings = List.copyOf(allWarnings);
        }
        return new MessageRecord(schema, key, account, folder, uidValidity, uid, flags, internalDate, date, size, messageId,
                inReplyTo, references, subject, from, sender, replyTo, to, cc, bcc, headers, autoSubmitted, text, html,
                attachments, report, raw, error, allWarnings);
    }

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
