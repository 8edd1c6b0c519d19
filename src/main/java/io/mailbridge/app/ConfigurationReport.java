package io.mailbridge.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.mailbridge.accounts.Account;
import io.mailbridge.accounts.MailboxBinding;
import io.mailbridge.config.UriOptions;
import io.mailbridge.oauth2.TokenProviders;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesResolvedValue;
import org.apache.camel.util.URISupport;

/**
 * The resolved configuration as {@code --check} prints it: for each mailbox every option, then the
 * other {@code mail.*} settings, each with the key that holds it, the layer its value came from
 * ({@link ConfigLayers#layerOf}) and the value, secrets masked. One line per setting:
 * {@code option account=<name> key=<key> from=<layer> value=<value>}.
 */
final class ConfigurationReport {

    static final String MASK = "******";

    private final PropertiesComponent properties;
    private final ConfigLayers layers;

    ConfigurationReport(PropertiesComponent properties, ConfigLayers layers) {
        this.properties = properties;
        this.layers = layers;
    }

    CheckFindings report(List<Account> accounts) {
        CheckFindings findings = new CheckFindings();
        for (Account account : accounts) {
            mailboxLines(account, findings);
        }
        for (String key : sharedKeys()) {
            findings.line("option " + setting(key, null, "", isSecret(key)));
        }
        return findings;
    }

    private void mailboxLines(Account account, CheckFindings findings) {
        String prefix = "option account=" + account.name() + " ";
        MailboxBinding.options().forEach((suffix, option) -> findings.line(prefix + mailboxSetting(account, suffix, option)));
        findings.line(prefix + setting(account.keyOf("sink-uri"), account.source("sink-uri"), "", false));
        for (String folder : searchedFolders(account)) {
            String suffix = "folder." + folder + ".search";
            if (account.source(suffix) != null) {
                findings.line(prefix + setting(account.keyOf(suffix), account.source(suffix), "", false));
            }
        }
        if (account.isOAuth2()) {
            TokenProviders.KEYS.forEach(k -> findings.line(prefix
                    + setting(account.keyOf(k), account.source(k), "", isSecret(k))));
        }
    }

    private String mailboxSetting(Account account, String suffix, UriOptions.Option option) {
        String key = account.keyOf(suffix);
        String source = account.source(suffix);
        if (source == null && suffix.equals("account")) {
            // the record prefix defaults to username@host (or the account's name): show what it is
            return line(key, "default", account.recordPrefix(), false);
        }
        return setting(key, source, defaultOf(option), option.secret() || isSecret(key));
    }

    /** The annotation's default; a flag declares none, and is off. */
    private static String defaultOf(UriOptions.Option option) {
        boolean flag = option.type() == boolean.class || option.type() == Boolean.class;
        return option.defaultValue().isEmpty() && flag ? "false" : option.defaultValue();
    }

    /**
     * @param source the property that set it; null when none did, then {@code key} itself is looked at
     *               (a shared setting, or an empty value) and {@code dflt} applies when it is unset or empty
     */
    private String setting(String key, String source, String dflt, boolean secret) {
        String from = source == null ? key : source;
        String value = properties.resolveProperty(from).map(String::trim).orElse("");
        if (source == null && value.isEmpty()) {
            return line(key, "default", dflt, secret);
        }
        return line(key, layer(from), value, secret);
    }

    private String layer(String key) {
        return layers.layerOf(properties.getResolvedValue(key).map(PropertiesResolvedValue::source).orElse(null));
    }

    private static String line(String key, String from, String value, boolean secret) {
        return "key=" + key + " from=" + from + " value=" + shown(value, secret);
    }

    /** An empty secret stays empty (so "not set" shows); any other is masked, and URIs lose their passwords. */
    static String shown(String value, boolean secret) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return secret ? MASK : URISupport.sanitizeUri(value);
    }

    /** Passwords, client secrets and tokens, by the key's last part (token-url, token-file are not secret). */
    static boolean isSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return last.contains("password") || last.contains("secret") || last.equals("token") || last.endsWith("-token");
    }

    private static Set<String> searchedFolders(Account account) {
        Set<String> folders = new LinkedHashSet<>(account.folders());
        folders.addAll(account.configuration().getFolderSearch().keySet());
        return folders;
    }

    /** The mail.* keys that are not a mailbox's (those are shown per mailbox): shipped ones and any set. */
    private Set<String> sharedKeys() {
        Set<String> keys = new TreeSet<>(KnownKeys.builtInKeys());
        keys.addAll(ConfigurationCheck.presentKeys(properties));
        ConfigurationCheck.smtpOptions().keySet().forEach(k -> keys.add("mail.smtp." + k));
        List<String> mailboxKeys = new ArrayList<>();
        MailboxBinding.options().keySet().forEach(k -> mailboxKeys.add(MailboxBinding.defaultKey(k)));
        mailboxKeys.add(MailboxBinding.defaultKey("sink-uri"));
        keys.removeIf(k -> !k.startsWith("mail.") || k.startsWith("mail.imap.") || k.startsWith("mail.account.")
                || mailboxKeys.contains(k));
        return keys;
    }
}
