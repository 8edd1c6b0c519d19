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

    /** The settings without checking them (they were checked when the configuration was bound). */
    public static Settings of(PropertiesComponent properties) {
        return new Settings(properties);
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
        List<String> accounts = io.mailbridge.accounts.Account.names(string("mail.accounts"));
        if (accounts.isEmpty()) {
            required("mail.imap.host");
        }
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
        oneOf("mail.imap.auth", "password", "oauth2");
        oneOf("mail.smtp.auth", "password", "oauth2");
        duration("mail.oauth2.login-backoff");
        duration("mail.oauth2.refresh-before", 0);
        if (accounts.isEmpty() && "oauth2".equals(string("mail.imap.auth"))) {
            oauth2("mail.imap.");
        }
        if ("oauth2".equals(string("mail.smtp.auth"))) {
            oauth2("mail.smtp.");
        }
        for (String name : accounts) {
            checkAccount(name);
        }
    }

    /**
     * An account's name, its required keys (its own or the mail.imap.* fallback) and its OAuth2 keys.
     * Its endpoint options (port, search, after, ...) are checked by {@link EndpointOptionCheck},
     * which binds them as the account's route does and names the account's own key.
     */
    private void checkAccount(String name) {
        if (!io.mailbridge.accounts.Account.NAME.matcher(name).matches()) {
            problems.add("mail.accounts: '" + name + "' is not a valid account name (letters, digits, - and _)");
            return;
        }
        String p = "mail.account." + name + ".";
        for (String key : List.of("host", "username", "folders", "sink-uri")) {
            String fallback = "sink-uri".equals(key) ? "mail.sink.uri" : "mail.imap." + key;
            if (string(p + key).isEmpty() && string(fallback).isEmpty()) {
                problems.add(p + key + " is not set (nor " + fallback + ")");
            }
        }
        get(p + "folders").filter(v -> !v.isEmpty() && v.replace(",", "").isBlank())
                .ifPresent(v -> problems.add(p + "folders = '" + v + "': name at least one folder"));
        String auth = string(p + "auth").isEmpty() ? string("mail.imap.auth") : string(p + "auth");
        if ("oauth2".equals(auth)) {
            oauth2(p);
        }
    }

    /** The oauth2.* keys under a prefix; an account's fall back to mail.imap.oauth2.*, errors name its own key. */
    private void oauth2(String prefix) {
        boolean account = prefix.startsWith("mail.account.");
        problems.addAll(io.mailbridge.oauth2.TokenProviders.problems(
                k -> account && string(prefix + k).isEmpty() ? string("mail.imap." + k) : string(prefix + k),
                k -> prefix + k));
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
        duration(key, 1);
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

    private void duration(String key, long minMillis) {
        get(key).filter(v -> !v.isEmpty()).ifPresent(v -> {
            try {
                // TimeUtils reads text it does not understand as 0, so the shape is checked first
                if (!isDuration(v) || TimeUtils.toMilliSeconds(v) < minMillis) {
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

    /** Startup refused: lists every bad key at once. */
    public static class InvalidConfigurationException extends IllegalArgumentException {
        public InvalidConfigurationException(List<String> problems) {
            super("Invalid mailbridge configuration:\n  - " + String.join("\n  - ", problems));
        }
    }
}
