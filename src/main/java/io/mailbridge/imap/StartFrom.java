package io.mailbridge.imap;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Where a folder without a checkpoint starts ({@code mail.imap.start-from}). */
public record StartFrom(Kind kind, LocalDate date) {

    public enum Kind { ALL, NOW, DATE }

    static final DateTimeFormatter RFC3501_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

    public static StartFrom parse(String value) {
        String v = value == null ? "all" : value.trim();
        if (v.equalsIgnoreCase("all")) {
            return new StartFrom(Kind.ALL, null);
        }
        if (v.equalsIgnoreCase("now")) {
            return new StartFrom(Kind.NOW, null);
        }
        try {
            String normalized = v.length() > 3 ? v.substring(0, v.length() - 8)
                    + Character.toUpperCase(v.charAt(v.length() - 8)) + v.substring(v.length() - 7, v.length() - 5).toLowerCase(Locale.ROOT)
                    + v.substring(v.length() - 5) : v;
            return new StartFrom(Kind.DATE, LocalDate.parse(normalized, RFC3501_DATE));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + value + "' is not all, now or an RFC 3501 date such as 1-Nov-2026");
        }
    }

    public static String format(LocalDate date) {
        return RFC3501_DATE.format(date);
    }
}
