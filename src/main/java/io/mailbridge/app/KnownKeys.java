package io.mailbridge.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.accounts.MailboxBinding;
import io.mailbridge.oauth2.TokenProviders;

/**
 * Every {@code mail.*} key mailbridge reads: the keys of the built-in application.properties (each with its
 * default, so the shipped file is their declaration), each mailbox option under {@code mail.imap.} and
 * {@code mail.account.<name>.}, a folder's {@code folder.<name>.search}, and the SMTP endpoint's options
 * under {@code mail.smtp.}. A key outside them is a typo that would otherwise be ignored silently.
 */
final class KnownKeys {

    static final String BUILT_IN = "mailbridge/application.properties";
    private static final Pattern ACCOUNT_KEY = Pattern.compile("mail\\.account\\.([^.]+)\\.(.+)");

    private final Set<String> fixed = new TreeSet<>();
    /** mail.<namespace> of mailbridge's keys (imap, smtp, sink...): Jakarta Mail's own system properties (mail.mime.*, mail.debug) are not ours to check. */
    private final Set<String> namespaces = new TreeSet<>(Set.of("account"));
    private final Set<String> mailboxSuffixes = new TreeSet<>();
    private final List<String> accounts;

    KnownKeys(List<String> accounts, Set<String> smtpOptionKeys) {
        this.accounts = accounts;
        fixed.addAll(builtInKeys());
        MailboxBinding.options().keySet().forEach(k -> {
            mailboxSuffixes.add(k);
            fixed.add(MailboxBinding.defaultKey(k));
        });
        mailboxSuffixes.add("sink-uri");
        mailboxSuffixes.addAll(TokenProviders.KEYS);
        smtpOptionKeys.forEach(k -> fixed.add("mail.smtp." + k));
        fixed.forEach(k -> namespaces.add(namespace(k)));
    }

    private static String namespace(String key) {
        String rest = key.substring("mail.".length());
        return rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
    }

    /**
     * Null when the key is known, else the problem: it names the key and the closest known one. A -D option
     * outside mailbridge's namespaces is Jakarta Mail's (mail.mime.*, mail.debug), not a typo of ours.
     */
    String problem(String key, boolean systemProperty) {
        if (!key.startsWith("mail.") || fixed.contains(key) || systemProperty && !namespaces.contains(namespace(key))) {
            return null;
        }
        if (key.startsWith("mail.imap.") && MailboxBinding.FOLDER_SEARCH.matcher(key.substring("mail.imap.".length())).matches()) {
            return null;
        }
        Matcher account = ACCOUNT_KEY.matcher(key);
        if (account.matches()) {
            String name = account.group(1);
            String suffix = account.group(2);
            if (!accounts.contains(name)) {
                return key + ": account '" + name + "' is not in mail.accounts " + accounts
                        + (accounts.isEmpty() ? "" : closest(name, accounts).map(n -> " (did you mean " + n + "?)").orElse(""));
            }
            if (mailboxSuffixes.contains(suffix) || MailboxBinding.FOLDER_SEARCH.matcher(suffix).matches()) {
                return null;
            }
            return unknown(key, closest(suffix, mailboxSuffixes).map(s -> "mail.account." + name + "." + s));
        }
        return unknown(key, closest(key, fixed));
    }

    private static String unknown(String key, Optional<String> closest) {
        return key + ": not a mailbridge key" + closest.map(c -> " (did you mean " + c + "?)").orElse("")
                + "; docs/configuration.md lists every key";
    }

    private static Optional<String> closest(String key, Set<String> candidates) {
        return closest(key, List.copyOf(candidates));
    }

    private static Optional<String> closest(String key, List<String> candidates) {
        return candidates.stream().min(Comparator.comparingInt(c -> distance(key, c)))
                .filter(c -> distance(key, c) <= Math.max(3, key.length() / 3));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The keys of the built-in application.properties, in the jar. */
    static Set<String> builtInKeys() {
        try (InputStream in = KnownKeys.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the class path (it is copied there by the build)");
            }
            Properties p = new Properties();
            p.load(in);
            return new LinkedHashSet<>(p.stringPropertyNames());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
