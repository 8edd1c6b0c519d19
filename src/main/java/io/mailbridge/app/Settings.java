package io.mailbridge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mailbridge.imap.SearchExpression;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code mail.*} settings, read once at startup from the same sources as the routes'
 * placeholders (-D, environment, application.properties) and checked together, so a bad value
 * stops startup with the key that holds it rather than a failure on the first poll.
 */
public final class Settings {

    private final PropertiesComponent properties;
    private final List<String> problems = new ArrayList<>();

    private Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static Settings validate(PropertiesComponent properties) {
        return validate(properties, List.of());
    }

    /**
     * Checks the keys that are not endpoint options and the cross-key rules; {@code endpointProblems} are
     * those Camel found binding the endpoint options (see {@link EndpointOptionCheck}), reported together.
     */
    public static Settings validate(PropertiesComponent properties, List<String> endpointProblems) {
        Settings s = new Settings(properties);
        s.check();
        s.problems.addAll(endpointProblems);
        if (!s.problems.isEmpty()) {
            throw new InvalidConfigurationException(s.problems);
        }
        return s;
    }

    private void check() {
        bool("mail.embedded.enabled");
        required("mail.imap.host");
        String folders = string("mail.imap.folders");
        if (!folders.isEmpty()) {
            for (String f : folders.split(",")) {
                search("mail.imap.folder." + f.trim() + ".search");
            }
        }
        required("mail.sink.uri");
        required("mail.dead-letter.uri");
        required("mail.checkpoint.dir");
        required("mail.smtp.host");
        address("mail.smtp.from");
        required("mail.outbox.uri");
        required("mail.outbox.failed-uri");
        positive("mail.outbox.max-bytes");
        required("mail.outbox.sent-uri");
        required("mail.outbox.ledger-dir");
        nonNegative("mail.smtp.max-redeliveries");
        duration("mail.smtp.redelivery-delay");
        duration("mail.smtp.max-redelivery-delay");
        duration("mail.sink.redelivery-delay");
        duration("mail.sink.max-redelivery-delay");
        notBelow("mail.sink.max-redelivery-delay", "mail.sink.redelivery-delay");
    }

    public Optional<String> get(String key) {
        return properties.resolveProperty(key).map(String::trim);
    }

    public String string(String key) {
        return get(key).orElse("");
    }

    public boolean isTrue(String key) {
        return get(key).map(Boolean::parseBoolean).orElse(false);
    }

    public int integer(String key, int dflt) {
        return get(key).filter(v -> !v.isEmpty()).map(Integer::parseInt).orElse(dflt);
    }

    public long longValue(String key, long dflt) {
        return get(key).filter(v -> !v.isEmpty()).map(Long::parseLong).orElse(dflt);
    }


    private String required(String key) {
        Optional<String> v = get(key);
        if (v.isEmpty() || v.get().isEmpty()) {
            problems.add(key + " is not set");
            return null;
        }
        return v.get();
    }

    private void bool(String key) {
        get(key).filter(v -> !v.isEmpty() && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false"))
                .ifPresent(v -> problems.add(key + " = '" + v + "': must be true or false"));
    }

    private void positive(String key) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                if (Long.parseLong(v) < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(key + " = '" + v + "': must be a whole number above 0");
            }
        });
    }

    private void nonNegative(String key) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                if (Long.parseLong(v) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(key + " = '" + v + "': must be a whole number, 0 or more");
            }
        });
    }

    /** 500 (milliseconds), or units: 500ms, 10s, 1m30s, 2h, 1d */
    private static final Pattern DURATION = Pattern.compile("\\d+|(\\d+(ms|s|m|h|d))+", Pattern.CASE_INSENSITIVE);

    private void duration(String key) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            if (!isDuration(v) || TimeUtils.toMilliSeconds(v) < 1) {
                problems.add(key + " = '" + v + "': not a duration such as 500, 10s or 1m30s");
            }
        });
    }

    /** Both durations valid (checked above), and {@code key} at least as long as {@code lower}. */
    private void notBelow(String key, String lower) {
        Optional<String> v = get(key).filter(x -> DURATION.matcher(x).matches());
        Optional<String> min = get(lower).filter(x -> DURATION.matcher(x).matches());
        if (v.isPresent() && min.isPresent() && TimeUtils.toMilliSeconds(v.get()) < TimeUtils.toMilliSeconds(min.get())) {
            problems.add(key + " = '" + v.get() + "': must not be shorter than " + lower + " = '" + min.get() + "'");
        }
    }

    /** TimeUtils (and so Camel's Duration conversion) reads text it does not understand as 0: check the shape first. */
    static boolean isDuration(String text) {
        return DURATION.matcher(text.trim()).matches();
    }

    private void search(String key) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                SearchExpression.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add(key + ": " + e.getMessage());
            }
        });
    }

    private void address(String key) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                new InternetAddress(v, true).validate();
            } catch (AddressException e) {
                problems.add(key + " = '" + v + "': not a valid address (" + e.getMessage() + ")");
            }
        });
    }

    /** Startup refused: lists every bad key at once. */
    public static class InvalidConfigurationException extends IllegalArgumentException {
        public InvalidConfigurationException(List<String> problems) {
            super("Invalid mailbridge configuration:\n  - " + String.join("\n  - ", problems));
        }
    }
}
