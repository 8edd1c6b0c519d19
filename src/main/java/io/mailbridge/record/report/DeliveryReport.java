package io.mailbridge.record.report;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The record's {@code deliveryReport}: what a {@code multipart/report} says in its machine-readable
 * part (RFC 3464 delivery status, RFC 8098 disposition notification), documented in docs/record-schema.md.
 * Fields the report lacks are null ({@code recipients} empty), never omitted.
 *
 * @param type              {@code delivery-status}, {@code disposition-notification}, or another report-type as written (lower case)
 * @param reportingMta      Reporting-MTA without its type ({@code dns;}), delivery status only
 * @param reportingUa       Reporting-UA as written, disposition notifications only
 * @param originalMessageId the Message-ID of the message the report is about, with angle brackets
 * @param sentByMailbridge  set when that message is in this mailbridge's sent ledger, else null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "type", "reportingMta", "reportingUa", "originalMessageId", "recipients", "sentByMailbridge" })
public record DeliveryReport(
        String type,
        String reportingMta,
        String reportingUa,
        String originalMessageId,
        List<Recipient> recipients,
        SentByMailbridge sentByMailbridge) {

    public static final String DELIVERY_STATUS = "delivery-status";
    public static final String DISPOSITION_NOTIFICATION = "disposition-notification";

    /** A report of another type (feedback-report, tlsrpt...): its type only. */
    static DeliveryReport typeOnly(String type) {
        return new DeliveryReport(type, null, null, null, List.of(), null);
    }

    public DeliveryReport withSentByMailbridge(SentByMailbridge sent) {
        return new DeliveryReport(type, reportingMta, reportingUa, originalMessageId, recipients, sent);
    }

    /**
     * One per-recipient block. Addresses and MTA names without their type ({@code rfc822;}, {@code dns;}),
     * {@code diagnosticCode} without its type ({@code smtp;}); {@code action} and {@code disposition} lower case.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "finalRecipient", "originalRecipient", "action", "status", "diagnosticCode", "remoteMta",
            "disposition" })
    public record Recipient(
            String finalRecipient,
            String originalRecipient,
            String action,
            String status,
            String diagnosticCode,
            String remoteMta,
            String disposition) {
    }

    /** The sent record ({@code mailbridge.sent/1}) of the message the report is about: its {@code id}, {@code messageId}, {@code sentAt}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "requestId", "messageId", "sentAt" })
    public record SentByMailbridge(String requestId, String messageId, String sentAt) {
    }
}
