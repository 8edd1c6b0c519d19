package io.mailbridge.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mailbridge.imap.FetchMode;
import io.mailbridge.imap.PostAction;
import io.mailbridge.imap.SearchExpression;
import io.mailbridge.imap.StartFrom;
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
        Settings s = new Settings(properties);
        s.check();
        if (!s.problems.isEmpty()) {
            throw new InvalidConfigurationException(s.problems);
        }
        return s;
    }

    private void check() {
        bool("mail.embedded.enabled");
        required("mail.imap.host");
        port("mail.imap.port", true);
        bool("mail.imap.ssl");
        bool("mail.imap.starttls");
        String folders = required("mail.imap.folders");
        if (folders != null && folders.replace(",", "").isBlank()) {
            problems.add("mail.imap.folders = '" + folders + "': name at least one folder");
        }
        search("mail.imap.search");
        if (folders != null) {
            for (String f : folders.split(",")) {
                search("mail.imap.folder." + f.trim() + ".search");
            }
        }
        duration("mail.imap.poll-delay");
        duration("mail.imap.initial-delay", 0);
        bool("mail.imap.idle");
        duration("mail.imap.idle-interval");
        duration("mail.imap.max-backoff");
        duration("mail.imap.max-login-backoff");
        parse("mail.imap.fetch", FetchMode::parse);
        parse("mail.imap.after", PostAction::parse);
        parse("mail.imap.start-from", StartFrom::parse);
        oneOf("mail.imap.on-uidvalidity-change", "since-last-date", "all", "now", "fail");
        positive("mail.imap.fetch-size");
        positive("mail.record.max-inline-bytes");
        nonNegative("mail.imap.parse-threads");
        required("mail.sink.uri");
        required("mail.dead-letter.uri");
        required("mail.checkpoint.dir");
        required("mail.smtp.host");
        port("mail.smtp.port", false);
        bool("mail.smtp.ssl");
        bool("mail.smtp.starttls");
        address("mail.smtp.from");
        required("mail.outbox.uri");
        required("mail.outbox.failed-uri");
        positive("mail.outbox.max-bytes");
        required("mail.outbox.sent-uri");
        required("mail.outbox.ledger-dir");
        bool("mail.smtp.trust-all");
        nonNegative("mail.smtp.max-redeliveries");
        duration("mail.smtp.redelivery-delay");
        duration("mail.smtp.max-redelivery-delay");
        duration("mail.smtp.idle-timeout");
        nonNegative("mail.sink.max-redeliveries");
        duration("mail.sink.redelivery-delay");
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

    private void port(String key, boolean zeroAllowed) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                int p = Integer.parseInt(v);
                if (p < (zeroAllowed ? 0 : 1) || p > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(key + " = '" + v + "': not a port number (1-65535)");
            }
        });
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
        duration(key, 1);
    }

    private void duration(String key, long minMillis) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                // TimeUtils reads text it does not understand as 0, so the shape is checked first
                if (!DURATION.matcher(v.trim()).matches() || TimeUtils.toMilliSeconds(v) < minMillis) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                problems.add(key + " = '" + v + "': not a duration such as " + (minMillis == 0 ? "0s, " : "") + "500, 10s or 1m30s");
            }
        });
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

    private void parse(String key, java.util.function.Function<String, ?> parser) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                parser.apply(v);
            } catch (IllegalArgumentException e) {
                problems.add(key + " = " + e.getMessage());
            }
        });
    }

    private void oneOf(String key, String... allowed) {
        get(key).filter(v -> !v.isEmpty() && !List.of(allowed).contains(v))
                .ifPresent(v -> problems.add(key + " = '" + v + "': must be one of " + String.join(", ", allowed)));
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
