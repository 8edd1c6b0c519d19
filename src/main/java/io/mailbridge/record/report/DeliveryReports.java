package io.mailbridge.record.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;

/**
 * Reads a {@code multipart/report} (RFC 6522) into a {@link DeliveryReport}: the report-type, the fields of
 * its machine-readable part (RFC 3464 delivery status, RFC 8098 disposition notification, their RFC 6533
 * global forms) and the Message-ID of the returned message or headers. Parts are found by their type, not
 * their place. What cannot be read is left null and named in a warning; the report is never refused.
 */
public final class DeliveryReports {

    static final String WHERE = "deliveryReport: ";

    /** The machine-readable part types, and the report-type each one is. */
    static final Map<String, String> STATUS_PARTS = Map.of(
            "message/delivery-status", DeliveryReport.DELIVERY_STATUS,
            "message/global-delivery-status", DeliveryReport.DELIVERY_STATUS,
            "message/disposition-notification", DeliveryReport.DISPOSITION_NOTIFICATION,
            "message/global-disposition-notification", DeliveryReport.DISPOSITION_NOTIFICATION);

    private DeliveryReports() {
    }

    /** Whether the message's Content-Type is multipart/report (false when it cannot be parsed). */
    public static boolean isReport(Part message) {
        return contentType(message) != null;
    }

    /**
     * @param message the whole message
     * @param warn    takes one warning per thing that could not be read
     * @return the report, or null when the message is not a multipart/report
     */
    public static DeliveryReport read(Part message, Consumer<String> warn) {
        ContentType ct = contentType(message);
        if (ct == null) {
            return null;
        }
        String declared = reportType(ct.getParameter("report-type"));
        if (declared != null && !STATUS_PARTS.containsValue(declared)) {
            return DeliveryReport.typeOnly(declared); // feedback-report, tlsrpt...: only its type, as documented
        }
        List<Part> parts;
        try {
            parts = parts(message);
        } catch (MessagingException | IOException | RuntimeException e) {
            warn.accept(WHERE + "the multipart/report cannot be split into parts (" + e.getMessage() + "); only its"
                    + " report-type is read");
            return DeliveryReport.typeOnly(declared);
        }
        return new ReportParts(parts, warn).read(declared);
    }

    /** The multipart/report Content-Type, or null when the message is something else. */
    private static ContentType contentType(Part message) {
        try {
            String value = message.getContentType();
            ContentType ct = value == null ? null : new ContentType(value);
            return ct != null && ct.match("multipart/report") ? ct : null;
        } catch (MessagingException | RuntimeException e) {
            return null; // unreadable: the body reader names it; not a report
        }
    }

    /** Lower case; the RFC 6533 global forms read as the plain ones. */
    private static String reportType(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String type = value.trim().toLowerCase(Locale.ROOT);
        return type.startsWith("global-") && STATUS_PARTS.containsValue(type.substring(7)) ? type.substring(7) : type;
    }

    private static List<Part> parts(Part message) throws MessagingException, IOException {
        if (!(message.getContent() instanceof Multipart mp)) {
            throw new MessagingException("its content is not a multipart");
        }
        if (mp.getCount() == 0) {
            throw new MessagingException("no parts");
        }
        List<Part> parts = new ArrayList<>(mp.getCount());
        for (int i = 0; i < mp.getCount(); i++) {
            parts.add(mp.getBodyPart(i));
        }
        return parts;
    }
}
