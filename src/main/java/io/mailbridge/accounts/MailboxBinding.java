package io.mailbridge.accounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.config.UriOptions;
import io.mailbridge.config.UriOptions.Option;
import io.mailbridge.imap.component.MailboxConfiguration;
import io.mailbridge.imap.protocol.SearchExpression;
import io.mailbridge.oauth2.TokenProviders;
import org.apache.camel.CamelContext;

/**
 * Binds the properties onto one {@link MailboxConfiguration} per account, once: the options' defaults, then
 * {@code mail.imap.<option>}, then the account's {@code mail.account.<name>.<option>}. The keys are the options'
 * names in kebab case ({@code fetch-size} for {@code fetchSize}); four options have a home outside
 * {@code mail.imap.*} ({@link #SHARED_KEYS}); a folder's search is {@code folder.<name>.search}. Every bad
 * value is collected, named by the key that holds it.
 */
public final class MailboxBinding {

    /** Options whose shared key is not mail.imap.<option> (an account may still set mail.account.<name>.<option>). */
    static final Map<String, String> SHARED_KEYS = Map.of(
            "max-inline-bytes", "mail.record.max-inline-bytes",
            "max-in-flight", "mail.sink.max-in-flight",
            "login-backoff", "mail.oauth2.login-backoff",
            "sink-uri", "mail.sink.uri",
            "changes-uri", "mail.changes.uri");
    /** Key suffixes spelled otherwise than the option's kebab case. */
    private static final Map<String, String> SPELLING = Map.of("onUidValidityChange", "on-uidvalidity-change");
    /** Options that are not properties: beans, and the per-folder search map (folder.<name>.search). */
    private static final Set<String> NOT_KEYS = Set.of("tokenProvider", "folderSearch");
    /** A folder's own search: {@code folder.<name>.search} (after mail.imap. or mail.account.<name>.). */
    public static final Pattern FOLDER_SEARCH = Pattern.compile("folder\\.(.+)\\.search");

    private final CamelContext context;
    private final Function<String, Optional<String>> properties;
    private final Set<String> problems = new LinkedHashSet<>();

    private MailboxBinding(CamelContext context, Function<String, Optional<String>> properties) {
        this.context = context;
        this.properties = properties;
    }

    private static final Map<String, Option> OPTIONS = readOptions();

    /** The mailbox options as properties know them: key suffix (fetch-size) -> option. */
    public static Map<String, Option> options() {
        return OPTIONS;
    }

    /** Read once from the class's declarations (reflection), not once per account. */
    private static Map<String, Option> readOptions() {
        Map<String, Option> out = new LinkedHashMap<>();
        for (Option o : UriOptions.of(MailboxConfiguration.class)) {
            if (!NOT_KEYS.contains(o.name())) {
                out.put(SPELLING.getOrDefault(o.name(), o.key()), o);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The key a mailbox option is read from when no account sets its own: mail.imap.<key>, or its shared key. */
    public static String defaultKey(String key) {
        return SHARED_KEYS.getOrDefault(key, "mail.imap." + key);
    }

    /**
     * The accounts with their bound configuration; {@code problems} receives every bad value (none: the
     * accounts are ready for their routes). {@code folderSearchKeys}: the mail.imap.folder.*.search and
     * mail.account.*.folder.*.search keys present in the property files and -D options.
     */
    public static List<Account> bind(CamelContext context, Function<String, Optional<String>> properties,
            Set<String> folderSearchKeys, List<String> problems) {
        MailboxBinding binding = new MailboxBinding(context, properties);
        List<Account> accounts = new ArrayList<>();
        List<String> names = Account.names(properties.apply("mail.accounts").orElse(""));
        if (names.isEmpty()) {
            accounts.add(binding.account(null, folderSearchKeys));
        }
        for (String name : names) {
            if (!Account.NAME.matcher(name).matches()) {
                binding.problems.add("mail.accounts: '" + name + "' is not a valid account name (letters, digits, - and _)");
            } else {
                accounts.add(binding.account(name, folderSearchKeys));
            }
        }
        problems.addAll(binding.problems);
        return accounts;
    }

    private Account account(String name, Set<String> folderSearchKeys) {
        MailboxConfiguration configuration = new MailboxConfiguration();
        Map<String, String> sources = new LinkedHashMap<>();
        String own = name == null ? null : "mail.account." + name + ".";
        options().forEach((key, option) -> {
            // a named account's record prefix is its own account key, else its name: mail.imap.account is the single one's
            String shared = name != null && key.equals("account") ? null : defaultKey(key);
            // an account's empty key falls back; a shared key is bound even when empty, as Camel would bind it
            String from = own != null && value(own + key).isPresent() ? own + key
                    : shared != null && properties.apply(shared).isPresent() ? shared : null;
            if (from != null) {
                String text = properties.apply(from).get().trim();
                if (!text.isEmpty()) {
                    sources.put(key, from);
                }
                add(UriOptions.bind(context, configuration, option, from, text));
            }
        });
        if (name != null && !sources.containsKey("account")) {
            configuration.setAccount(name);
        }
        bindFolderSearches(configuration, own, folderSearchKeys, sources);
        String sinkKey = own != null && value(own + "sink-uri").isPresent() ? own + "sink-uri" : "mail.sink.uri";
        String sinkUri = value(sinkKey).orElse("");
        if (sinkUri.isEmpty()) {
            problems.add(sinkKey + " is not set" + (own != null ? " (nor mail.sink.uri)" : ""));
        }
        sources.put("sink-uri", sinkKey);
        // read only for an oauth2 account: Camel's startup summary lists every key looked up (masked, but named)
        Map<String, String> oauth2 = configuration.isOAuth2() ? bindOAuth2(own, sources) : Map.of();
        Account account = new Account(name, configuration, sinkUri, sources, oauth2);
        checkRequired(account);
        return account;
    }

    /** folder.<name>.search of the account, else of mail.imap, for each folder read (and each such key present). */
    private void bindFolderSearches(MailboxConfiguration configuration, String own, Set<String> present,
            Map<String, String> sources) {
        Set<String> folders = new LinkedHashSet<>(configuration.folderList());
        for (String key : present) {
            Matcher m = FOLDER_SEARCH.matcher(key.startsWith("mail.imap.") ? key.substring("mail.imap.".length())
                    : own != null && key.startsWith(own) ? key.substring(own.length()) : "");
            if (m.matches()) {
                folders.add(m.group(1));
            }
        }
        Map<String, String> searches = new LinkedHashMap<>();
        for (String folder : folders) {
            String suffix = "folder." + folder + ".search";
            String from = own != null && value(own + suffix).isPresent() ? own + suffix
                    : value("mail.imap." + suffix).isPresent() ? "mail.imap." + suffix : null;
            if (from != null) {
                try {
                    SearchExpression.parse(value(from).get());
                    searches.put(folder, value(from).get());
                    sources.put(suffix, from);
                } catch (IllegalArgumentException e) {
                    problems.add(from + ": " + e.getMessage());
                }
            }
        }
        configuration.setFolderSearch(searches);
    }

    /** An account's oauth2.* keys, each its own or else mail.imap.oauth2.*: suffix -> value, and where it came from. */
    private Map<String, String> bindOAuth2(String own, Map<String, String> sources) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : TokenProviders.KEYS) {
            String from = own != null && value(own + key).isPresent() ? own + key : "mail.imap." + key;
            values.put(key, value(from).orElse(""));
            if (value(from).isPresent()) {
                sources.put(key, from);
            }
        }
        return values;
    }

    /** What no single option's setter can check: a host, a user name, and a token source for OAuth2. */
    private void checkRequired(Account account) {
        MailboxConfiguration c = account.configuration();
        for (String key : List.of("host", "username")) {
            Object value = key.equals("host") ? c.getHost() : c.getUsername();
            if (value == null || value.toString().isBlank()) {
                problems.add(account.ownKey(key) + " is not set" + (account.isSingle() ? "" : " (nor mail.imap." + key + ")"));
            }
        }
        if (account.isOAuth2()) {
            problems.addAll(TokenProviders.problems(account::oauth2, account::keyOf));
        }
    }

    /** A property's trimmed value; an empty value counts as unset (the shipped properties list keys with none). */
    private Optional<String> value(String key) {
        return properties.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private void add(String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }
}
