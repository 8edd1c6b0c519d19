package io.mailbridge.config;

import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;

/** The duration form every mailbridge key takes: 500 (milliseconds), or units: 500ms, 10s, 1m30s, 2h, 1d. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("\\d+|(\\d+(ms|s|m|h|d))+", Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /** TimeUtils (and so Camel's Duration conversion) reads text it does not understand as 0: check the shape first. */
    public static boolean isDuration(String text) {
        return text != null && DURATION.matcher(text.trim()).matches();
    }

    /** A wait in words for a log line, by Camel's printer: 500ms, 10s, 2m30s, 1h5m. */
    public static String words(long millis) {
        return millis < 1000 ? TimeUtils.printDuration(millis, true) : TimeUtils.printDuration(millis);
    }

    /** The milliseconds of a duration text, or -1 when it is not one. */
    public static long millis(String text) {
        return isDuration(text) ? TimeUtils.toMilliSeconds(text.trim()) : -1;
    }
}
