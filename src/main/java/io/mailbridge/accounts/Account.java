package io.mailbridge.accounts;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.mailbridge.imap.component.MailboxConfiguration;

/**
 * One mailbox to read, as {@link MailboxBinding} bound it: its {@link MailboxConfiguration}, the sink its
 * records go to, and, per option, the key its value came from (so messages name the key the user wrote).
 * Without {@code mail.accounts} there is one, configured by {@code mail.imap.*}; with
 * {@code mail.accounts=a,b} each reads {@code mail.account.<name>.<key>}, falling back to {@code mail.imap.<key>}.
 */
public final class Account {

    /** Account names: they become route ids, file names and key prefixes. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private final String name; // null: the single account of mail.imap.*
    private final MailboxConfiguration configuration;
    private final String sinkUri;
    private final Map<String, String> sources; // option key suffix (fetch-size) -> the property that set it
    private final Map<String, String> oauth2; // oauth2.* key suffix -> value ("" when unset)

    Account(String name, MailboxConfiguration configuration, String sinkUri, Map<String, String> sources,
            Map<String, String> oauth2) {
        this.name = name;
        this.configuration = configuration;
        this.sinkUri = sinkUri;
        this.sources = Map.copyOf(sources);
        this.oauth2 = Map.copyOf(oauth2);
    }

    /** An {@code oauth2.*} setting (e.g. {@code oauth2.token-url}): the account's own, else mail.imap's; "" when unset. */
    public String oauth2(String key) {
        return oauth2.getOrDefault(key, "");
    }

    /** The property that holds (or would hold) this account's setting: where it came from, else its own key. */
    public String keyOf(String key) {
        return sources.getOrDefault(key, ownKey(key));
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

    public MailboxConfiguration configuration() {
        return configuration;
    }

    public String sinkUri() {
        return sinkUri;
    }

    /** Where change events go: mail.changes.uri (or the account's changes-uri), else the record sink. */
    public String changesUri() {
        String own = configuration.getChangesUri();
        return own == null || own.isBlank() ? sinkUri : own.trim();
    }

    /** Key naming this account's setting in errors and docs: {@code mail.account.<name>.<key>} or {@code mail.imap.<key>}. */
    public String ownKey(String key) {
        return name == null ? MailboxBinding.defaultKey(key) : "mail.account." + name + "." + key;
    }

    /** True when this account's own key set the option (not the mail.imap.* fallback, not the default). */
    public boolean hasOwn(String key) {
        return name != null && ownKey(key).equals(sources.get(key));
    }

    /** The property an option's value came from, or null when it is the option's default. */
    public String source(String key) {
        return sources.get(key);
    }

    /** The account part of record keys and checkpoints. */
    public String recordPrefix() {
        return configuration.effectiveAccount();
    }

    /** {@code username@host}, or the user name alone when it is an address: the pre-accounts default prefix. */
    public String userAtHost() {
        return configuration.userAtHost();
    }

    public List<String> folders() {
        return configuration.folderList();
    }

    public boolean isOAuth2() {
        return configuration.isOAuth2();
    }

    @Override
    public String toString() {
        return name();
    }
}
