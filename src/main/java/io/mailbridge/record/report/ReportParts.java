package io.mailbridge.record.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.mailbridge.record.report.DeliveryReport.Recipient;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeUtility;

/** The parts of one multipart/report, read into its {@link DeliveryReport}; warnings go to {@code warn}. */
final class ReportParts {

    private static final List<String> RETURNED_TYPES = List.of("message/rfc822", "message/global", "text/rfc822-headers",
            "message/global-headers");
    private static final List<String> ACTIONS = List.of("failed", "delayed", "delivered", "relayed", "expanded");
    private static final Pattern STATUS_CODE = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    private final List<Part> parts;
    private final List<String> types = new ArrayList<>();
    private final Consumer<String> warn;

    ReportParts(List<Part> parts, Consumer<String> warn) {
        this.parts = parts;
        this.warn = warn;
        parts.forEach(p -> types.add(baseType(p)));
    }

    /** @param declared the report-type parameter (delivery-status or disposition-notification), or null when absent */
    DeliveryReport read(String declared) {
        int statusIndex = statusPart(declared);
        String type = declared != null ? declared : statusIndex < 0 ? null : DeliveryReports.STATUS_PARTS.get(types.get(statusIndex));
        if (declared == null) {
            warn.accept(DeliveryReports.WHERE + "the multipart/report has no report-type parameter; " + (type == null
                    ? "it has no delivery-status or disposition-notification part either, so only its other parts are read"
                    : "read as " + type + " from its " + types.get(statusIndex) + " part"));
        }
        List<StatusFields> groups = statusIndex < 0 ? List.of() : groups(statusIndex);
        if (statusIndex < 0 && type != null) {
            warn.accept(DeliveryReports.WHERE + "the multipart/report (report-type=" + type + ") has no message/" + type
                    + " part; recipients is empty");
        }
        boolean mdn = DeliveryReport.DISPOSITION_NOTIFICATION.equals(type);
        List<Recipient> recipients = recipients(groups, mdn, statusIndex);
        return new DeliveryReport(type, mdn ? null : first(groups, "Reporting-MTA", true),
                mdn ? first(groups, "Reporting-UA", false) : null, originalMessageId(groups), recipients, null);
    }

    /** The machine-readable part of the declared type, or of any known type when none is declared; -1 when absent. */
    private int statusPart(String declared) {
        for (int i = 0; i < types.size(); i++) {
            String kind = DeliveryReports.STATUS_PARTS.get(types.get(i));
            if (kind != null && (declared == null || declared.equals(kind))) {
                return i;
            }
        }
        return -1;
    }

    private List<StatusFields> groups(int index) {
        try (InputStream in = decoded(parts.get(index))) {
            byte[] content = in.readNBytes(StatusFields.MAX_BYTES + 1);
            if (content.length > StatusFields.MAX_BYTES) {
                warn.accept(where(index) + " is larger than " + StatusFields.MAX_BYTES / 1024 + " KiB; its first "
                        + StatusFields.MAX_BYTES / 1024 + " KiB are read");
                content = Arrays.copyOf(content, StatusFields.MAX_BYTES);
            }
            List<StatusFields> groups = StatusFields.groups(content);
            if (groups.size() > StatusFields.MAX_GROUPS) {
                warn.accept(where(index) + " has more than " + StatusFields.MAX_GROUPS + " groups of fields; the first "
                        + StatusFields.MAX_GROUPS + " are read");
                return groups.subList(0, StatusFields.MAX_GROUPS);
            }
            return groups;
        } catch (MessagingException | IOException | RuntimeException e) {
            warn.accept(where(index) + " cannot be read (" + e.getMessage() + "); recipients is empty");
            return List.of();
        }
    }

    /** A per-message field from the first group that has it (real reports put it in the first group). */
    private static String first(List<StatusFields> groups, String name, boolean typed) {
        for (StatusFields g : groups) {
            if (g.has(name)) {
                return typed ? g.untyped(name) : g.value(name);
            }
        }
        return null;
    }

    /** One entry per group with recipient fields (an MDN has them in its one group). */
    private List<Recipient> recipients(List<StatusFields> groups, boolean mdn, int statusIndex) {
        List<Recipient> out = new ArrayList<>();
        for (StatusFields g : groups) {
            if (g.has("Final-Recipient") || g.has("Original-Recipient") || g.has(mdn ? "Disposition" : "Action")) {
                out.add(mdn ? mdnRecipient(g, out.size() + 1) : dsnRecipient(g, out.size() + 1));
            }
        }
        if (out.isEmpty() && statusIndex >= 0 && !groups.isEmpty()) {
            warn.accept(where(statusIndex) + " has no recipient fields (Final-Recipient, " + (mdn ? "Disposition" : "Action")
                    + "); recipients is empty");
        }
        return out;
    }

    /** A field value without a trailing RFC 5322 comment: {@code failed (mailbox full)} is {@code failed}. */
    private static String withoutComment(String value) {
        if (value == null) {
            return null;
        }
        int paren = value.indexOf('(');
        return (paren < 0 ? value : value.substring(0, paren)).strip();
    }

    private Recipient dsnRecipient(StatusFields g, int n) {
        String action = lower(withoutComment(g.value("Action"))); // "failed (bad destination mailbox address)"
        String status = g.value("Status");
        require(g, n, "Final-Recipient");
        require(g, n, "Action");
        require(g, n, "Status");
        if (action != null && !ACTIONS.contains(action)) {
            warn.accept(DeliveryReports.WHERE + "recipient " + n + " has Action \"" + action + "\", not one of "
                    + String.join(", ", ACTIONS));
        }
        if (status != null) {
            String code = status.split("[\\s(]", 2)[0];
            if (STATUS_CODE.matcher(code).matches()) {
                status = code; // "5.0.0 (permanent failure)": the comment goes
            } else {
                warn.accept(DeliveryReports.WHERE + "recipient " + n + " has Status \"" + status
                        + "\", not a status code such as 5.1.1");
            }
        }
        return new Recipient(g.address("Final-Recipient"), g.address("Original-Recipient"), action, status,
                g.untyped("Diagnostic-Code"), g.untyped("Remote-MTA"), null);
    }

    private Recipient mdnRecipient(StatusFields g, int n) {
        require(g, n, "Final-Recipient");
        require(g, n, "Disposition");
        return new Recipient(g.address("Final-Recipient"), g.address("Original-Recipient"), null, null, null, null,
                disposition(g.value("Disposition")));
    }

    private void require(StatusFields g, int n, String field) {
        if (g.value(field) == null) {
            warn.accept(DeliveryReports.WHERE + "recipient " + n + " has no " + field + " field");
        }
    }

    /** RFC 8098: {@code manual-action/MDN-sent-manually; displayed/error}: the disposition-type, lower case. */
    private static String disposition(String value) {
        if (value == null) {
            return null;
        }
        String type = value.substring(value.indexOf(';') + 1);
        int slash = type.indexOf('/');
        return lower(slash < 0 ? type : type.substring(0, slash));
    }

    private static String lower(String value) {
        return value == null || value.isBlank() ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    /** From the returned message or headers part, else from Original-Message-ID in the status fields. */
    private String originalMessageId(List<StatusFields> groups) {
        for (int i = 0; i < parts.size(); i++) {
            if (RETURNED_TYPES.contains(types.get(i))) {
                String id = returnedMessageId(i);
                if (id != null) {
                    return id;
                }
            }
        }
        for (String name : List.of("Original-Message-ID", "X-Original-Message-ID")) {
            String id = StatusFields.messageId(first(groups, name, false));
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    private String returnedMessageId(int index) {
        try (InputStream in = decoded(parts.get(index))) {
            return StatusFields.messageId(new InternetHeaders(in, true).getHeader("Message-ID", null));
        } catch (MessagingException | IOException | RuntimeException e) {
            warn.accept(where(index) + " cannot be read (" + e.getMessage() + "); its Message-ID is not known");
            return null;
        }
    }

    private String where(int index) {
        return DeliveryReports.WHERE + "part " + (index + 1) + " (" + types.get(index) + ")";
    }

    /** Lower-case type/subtype of a part, or "" when unreadable. */
    private static String baseType(Part part) {
        try {
            return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The part's content, transfer-decoded. Jakarta Mail leaves a message/* part's content encoded
     * (mail.mime.allowencodedmessages), yet a global report may come in base64.
     */
    private static InputStream decoded(Part part) throws MessagingException, IOException {
        String encoding = part instanceof MimeBodyPart body ? body.getEncoding() : null;
        if (!(part instanceof MimeBodyPart body) || encoding == null) {
            return part.getInputStream();
        }
        return MimeUtility.decode(body.getRawInputStream(), encoding);
    }
}
