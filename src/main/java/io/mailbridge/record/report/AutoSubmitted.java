package io.mailbridge.record.report;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The record's {@code autoSubmitted}: whether a program rather than a person sent the message, so a
 * pipeline can leave auto-replies and bounces unanswered. RFC 3834's {@code Auto-Submitted} decides when
 * present; else the older vendor signs of an auto-reply; else a {@code multipart/report} is auto-generated.
 */
public final class AutoSubmitted {

    public static final String AUTO_REPLIED = "auto-replied";
    public static final String AUTO_GENERATED = "auto-generated";

    private AutoSubmitted() {
    }

    /**
     * @param header the first value of a header field (unfolded), or null
     * @param report the message is a {@code multipart/report}
     * @return {@code auto-replied}, {@code auto-generated}, {@code auto-notified}... or null for mail a person wrote
     */
    public static String of(UnaryOperator<String> header, boolean report) {
        String declared = header.apply("Auto-Submitted");
        if (declared != null && !keyword(declared).isEmpty()) {
            String keyword = keyword(declared);
            return keyword.equals("no") ? null : keyword;
        }
        String precedence = header.apply("Precedence");
        if (header.apply("X-Autoreply") != null || header.apply("X-Autorespond") != null
                || (precedence != null && keyword(precedence).equals("auto_reply"))) {
            return AUTO_REPLIED;
        }
        return report ? AUTO_GENERATED : null;
    }

    /** The value up to its parameters or comment ({@code auto-replied; owner-email=...}, {@code auto-generated (failure)}), lower case. */
    private static String keyword(String value) {
        String v = value.trim();
        int end = 0;
        while (end < v.length() && v.charAt(end) != ';' && v.charAt(end) != '(' && !Character.isWhitespace(v.charAt(end))) {
            end++;
        }
        return v.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
