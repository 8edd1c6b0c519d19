package io.mailbridge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mailbridge.config.Durations;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The {@code mail.*} settings that are not options of a mailbox or of the SMTP endpoint (those are
 * bound and checked by their own models): sink, dead letters, outbox, retries, OAuth2 timing. Read
 * from the same sources as the routes' placeholders (-D, environment, application.properties) and
 * checked together, so a bad value stops startup with the key that holds it.
 */
public final class Settings {

    private final PropertiesComponent properties;
    private final List<String> problems = new ArrayList<>();

    private Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The settings without checking them (they were checked when the configuration was bound). */
    public static Settings of(PropertiesComponent properties) {
        return new Settings(properties);
    }

    /** The problems of the global keys, each naming its key. */
    static List<String> problems(PropertiesComponent properties) {
        Settings s = new Settings(properties);
        s.check();
        return s.problems;
    }

    private void check() {
        bool("mail.embedded.enabled");
        bool("mail.embedded.demo-request");
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
        oneOf("mail.smtp.auth", "password", "oauth2");
        duration("mail.oauth2.refresh-before", 0);
        if ("oauth2".equals(string("mail.smtp.auth"))) {
            problems.addAll(io.mailbridge.oauth2.TokenProviders.problems(k -> string("mail.smtp." + k), k -> "mail.smtp." + k));
        }
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

    private void duration(String key) {
        duration(key, 1);
    }

    /** Both durations valid (checked above), and {@code key} at least as long as {@code lower}. */
    private void notBelow(String key, String lower) {
        Optional<String> v = get(key).filter(Durations::isDuration);
        Optional<String> min = get(lower).filter(Durations::isDuration);
        if (v.isPresent() && min.isPresent() && TimeUtils.toMilliSeconds(v.get()) < TimeUtils.toMilliSeconds(min.get())) {
            problems.add(key + " = '" + v.get() + "': must not be shorter than " + lower + " = '" + min.get() + "'");
        }
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

    private void duration(String key, long minMillis) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                // TimeUtils reads text it does not understand as 0, so the shape is checked first
                if (!Durations.isDuration(v) || TimeUtils.toMilliSeconds(v) < minMillis) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                problems.add(key + " = '" + v + "': not a duration such as " + (minMillis == 0 ? "0s, " : "") + "500, 10s or 1m30s");
            }
        });
    }

    private void oneOf(String key, String... allowed) {
        get(key).filter(v -> !v.isEmpty() && !List.of(allowed).contains(v))
                .ifPresent(v -> problems.add(key + " = '" + v + "': must be one of " + String.join(", ", allowed)));
    }
}
