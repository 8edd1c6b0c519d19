package io.mailbridge.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import io.mailbridge.accounts.Account;
import io.mailbridge.accounts.Accounts;
import io.mailbridge.accounts.MailboxBinding;
import io.mailbridge.config.InvalidConfigurationException;
import io.mailbridge.config.UriOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The whole configuration, checked once at startup and all problems reported together, each naming its key:
 * unknown {@code mail.*} keys (in property files and -D options; environment variables are not checked by
 * name), the global settings ({@link Settings}), the SMTP endpoint's options from {@code mail.smtp.*}, and
 * every mailbox ({@link MailboxBinding}), whose bound configurations are the result.
 */
final class ConfigurationCheck {

    static final String SMTP_SCHEME = "mailbridge-smtp";
    static final String SAVE_TO_SENT_ACCOUNT = "mail.smtp.save-to-sent-account";

    private ConfigurationCheck() {
    }

    static Accounts run(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Function<String, Optional<String>> properties = pc::resolveProperty;
        List<String> problems = new ArrayList<>();
        Set<String> present = presentKeys(pc);
        Map<String, UriOptions.Option> smtp = smtpOptions();
        KnownKeys known = new KnownKeys(Account.names(pc.resolveProperty("mail.accounts").orElse("")), smtp.keySet());
        Set<String> systemProperties = System.getProperties().stringPropertyNames();
        for (String key : present) {
            String problem = known.problem(key, systemProperties.contains(key));
            if (problem != null) {
                problems.add(problem);
            }
        }
        problems.addAll(Settings.problems(pc));
        problems.addAll(smtpProblems(context, smtp));
        List<Account> accounts = MailboxBinding.bind(context, properties, present, problems);
        String saveToSent = saveToSentProblem(pc, accounts);
        if (saveToSent != null) {
            problems.add(saveToSent);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Accounts(accounts);
    }

    /**
     * save-to-sent writes through one mailbox's connection: with mail.accounts it must be named (no guess among
     * several); without, the mail.imap.* one, and naming one is a mistake.
     */
    private static String saveToSentProblem(PropertiesComponent pc, List<Account> accounts) {
        String folder = pc.resolveProperty("mail.smtp.save-to-sent").orElse("").trim();
        String name = pc.resolveProperty(SAVE_TO_SENT_ACCOUNT).orElse("").trim();
        boolean single = accounts.stream().anyMatch(Account::isSingle);
        List<String> names = accounts.stream().map(Account::name).toList();
        if (single && !name.isEmpty()) {
            return SAVE_TO_SENT_ACCOUNT + "=" + name + ": mail.accounts is not set, so save-to-sent writes to the"
                    + " mail.imap.* mailbox; remove the key, or add the account to mail.accounts";
        }
        if (!single && !name.isEmpty() && !names.contains(name)) {
            return SAVE_TO_SENT_ACCOUNT + "=" + name + ": not an account of mail.accounts " + names;
        }
        if (!single && name.isEmpty() && !folder.isEmpty()) {
            return "mail.smtp.save-to-sent=" + folder + ": with mail.accounts set, " + SAVE_TO_SENT_ACCOUNT
                    + " must name the account whose mailbox gets the copy, one of " + names;
        }
        return null;
    }

    /** The mail.* keys set in a properties file (any layer) or by -D. */
    static Set<String> presentKeys(PropertiesComponent pc) {
        Set<String> keys = new LinkedHashSet<>();
        Properties loaded = pc.loadProperties(k -> k.startsWith("mail."));
        keys.addAll(loaded.stringPropertyNames());
        if (pc instanceof org.apache.camel.component.properties.PropertiesComponent impl) {
            for (Properties p : java.util.Arrays.asList(impl.getOverrideProperties(), impl.getInitialProperties())) {
                if (p != null) {
                    p.stringPropertyNames().stream().filter(k -> k.startsWith("mail.")).forEach(keys::add);
                }
            }
        }
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("mail.")).forEach(keys::add);
        return keys;
    }

    /** The SMTP endpoint's options a mail.smtp.<key> sets: key suffix (idle-timeout) -> option. */
    static Map<String, UriOptions.Option> smtpOptions() {
        Map<String, UriOptions.Option> out = new java.util.LinkedHashMap<>();
        for (UriOptions.Option o : UriOptions.of(io.mailbridge.component.MailServerConfiguration.class)) {
            if (!o.name().equals("tokenProvider") && !o.name().equals("loginBackoff")) {
                out.put(o.key(), o);
            }
        }
        for (UriOptions.Option o : UriOptions.of(io.mailbridge.smtp.SmtpEndpoint.class)) {
            if (!o.name().equals("configuration") && !o.name().equals("reuseConnection")) {
                out.put(o.key(), o);
            }
        }
        return out;
    }

    /** Binds each mail.smtp.* endpoint option onto a scratch endpoint, as the outbound route will. */
    private static List<String> smtpProblems(CamelContext context, Map<String, UriOptions.Option> options) throws Exception {
        List<String> problems = new ArrayList<>();
        Component component = context.getComponent(SMTP_SCHEME);
        for (Map.Entry<String, UriOptions.Option> e : options.entrySet()) {
            String key = "mail.smtp." + e.getKey();
            Optional<String> value = context.getPropertiesComponent().resolveProperty(key);
            if (value.isEmpty() || value.get().isBlank()) {
                continue;
            }
            Endpoint scratch = component.createEndpoint(SMTP_SCHEME + ":localhost");
            String problem = UriOptions.bind(context, scratch, component.getEndpointPropertyConfigurer(), e.getValue(), key,
                    value.get());
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }
}
