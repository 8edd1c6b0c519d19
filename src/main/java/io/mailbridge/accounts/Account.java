package io.mailbridge.accounts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One mailbox to read. Without {@code mail.accounts} there is one, configured by {@code mail.imap.*}
 * exactly as before; with {@code mail.accounts=a,b} each name reads {@code mail.account.<name>.<key>}
 * and falls back to {@code mail.imap.<key>} (and {@code mail.sink.uri} for {@code sink-uri}) where unset.
 */
public final class Account {

    /** Account names: they become route ids, file names and key prefixes. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private final String name; // null: the single account of mail.imap.*
    private final Function<String, String> properties; // key -> trimmed value, "" when unset

    private Account(String name, Function<String, String> properties) {
        this.name = name;
        this.properties = properties;
    }

    /** The accounts to read: mail.accounts, or the single mail.imap.* account. */
    public static List<Account> all(Function<String, String> properties) {
        List<String> names = names(properties.apply("mail.accounts"));
        if (names.isEmpty()) {
            return List.of(new Account(null, properties));
        }
        List<Account> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Account(n, properties));
        }
        return out;
    }

    public static List<String> names(String list) {
        return list == null ? List.of()
                : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    public boolean isSingle() {
        return name == null;
    }

    /** The configured name, or "default" for the single account. */
    public String name() {
        return name == null ? "default" : name;
    }

    public String routeId() {
        return name == null ? "imap-inbound" : "imap-" + name;
    }

    /** The key this account reads {@code key} from: its own when set, else the shared default. */
    public String key(String key) {
        if (name != null && !properties.apply(ownKey(key)).isEmpty()) {
            return ownKey(key);
        }
        return defaultKey(key);
    }

    /** Key naming this account's setting in errors and docs: {@code mail.account.<name>.<key>} or {@code mail.imap.<key>}. */
    public String ownKey(String key) {
        return name == null ? defaultKey(key) : "mail.account." + name + "." + key;
    }

    public boolean hasOwn(String key) {
        return name != null && !properties.apply(ownKey(key)).isEmpty();
    }

    public String value(String key) {
        return properties.apply(key(key));
    }

    private static String defaultKey(String key) {
        return "sink-uri".equals(key) ? "mail.sink.uri" : "mail.imap." + key;
    }

    /**
     * The account part of record keys and checkpoints: {@code mail.account.<name>.account}, default the
     * name; for the single account {@code mail.imap.account}, default {@code username@host}.
     */
    public String recordPrefix() {
        if (name != null) {
            return hasOwn("account") ? value("account") : name;
        }
        String configured = properties.apply("mail.imap.account");
        return configured.isEmpty() ? userAtHost() : configured;
    }

    /** {@code username@host}, or the user name alone when it is an address: the pre-accounts default prefix. */
    public String userAtHost() {
        String user = value("username");
        return user.contains("@") ? user : user + "@" + value("host");
    }

    public List<String> folders() {
        return names(value("folders"));
    }

    public boolean isOAuth2() {
        return "oauth2".equalsIgnoreCase(value("auth"));
    }

    @Override
    public String toString() {
        return name();
    }
}
