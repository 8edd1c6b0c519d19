package io.mailbridge.imap.sync;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Where a folder without a checkpoint starts ({@code mail.imap.start-from}). */
public record StartFrom(Kind kind, LocalDate date) {

    public enum Kind { ALL, NOW, DATE }

    static final DateTimeFormatter RFC3501_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);
    /** Accepts 1-nov-2026 and 01-NOV-2026 as servers do. */
    private static final DateTimeFormatter LENIENT_DATE = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive().appendPattern("d-MMM-yyyy").toFormatter(Locale.ENGLISH);

    public static StartFrom parse(String value) {
        String v = value == null ? "all" : value.trim();
        if (v.equalsIgnoreCase("all")) {
            return new StartFrom(Kind.ALL, null);
        }
        if (v.equalsIgnoreCase("now")) {
            return new StartFrom(Kind.NOW, null);
        }
        try {
            return new StartFrom(Kind.DATE, LocalDate.parse(v, LENIENT_DATE));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not all, now or an RFC 3501 date such as 1-Nov-2026");
        }
    }

    /** As configured: all, now, or the date (1-Nov-2026). */
    @Override
    public String toString() {
        return kind == Kind.DATE ? format(date) : kind.name().toLowerCase(Locale.ROOT);
    }

    public static String format(LocalDate date) {
        return RFC3501_DATE.format(date);
    }
}
