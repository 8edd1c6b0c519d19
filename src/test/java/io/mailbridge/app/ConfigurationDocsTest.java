package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import io.mailbridge.accounts.MailboxBinding;
import io.mailbridge.config.UriOptions;
import java.util.LinkedHashMap;
import io.mailbridge.imap.component.ImapUidComponent;
import io.mailbridge.smtp.SmtpComponent;
import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.api.Test;

/**
 * Every key in application.properties is documented in docs/configuration.md, with the same default; and
 * every endpoint option the routes bind to a key is documented there with the default the generated
 * catalog declares, so leaving a key out of application.properties changes nothing.
 */
class ConfigurationDocsTest {

    @Test
    void everyKeyIsDocumentedWithItsDefault() throws Exception {
        Properties props = new Properties();
        try (FileReader r = new FileReader("application.properties")) {
            props.load(r);
        }
        String docs = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key);
            String row = "| `" + key + "` | " + (value.isEmpty() ? "*(empty)*" : "`" + value + "`") + " |";
            if (!docs.contains(row)) {
                missing.add(row);
            }
        }
        assertTrue(missing.isEmpty(), "docs/configuration.md lacks rows:\n" + String.join("\n", missing));
    }

    @Test
    void aDefaultShownInApplicationPropertiesIsTheDeclaredOne() throws Exception {
        Map<String, UriOptions.Option> options = new LinkedHashMap<>();
        MailboxBinding.options().forEach((key, option) -> options.put(MailboxBinding.defaultKey(key), option));
        List<String> wrong = new ArrayList<>();
        int shown = 0;
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#(mail\\.[a-z0-9.-]+)=(.*)").matcher(line);
            if (m.matches() && options.containsKey(m.group(1))) {
                shown++;
                UriOptions.Option option = options.get(m.group(1));
                if (!m.group(2).equals(option.defaultValue()) && !sameValue(option, option.defaultValue(), m.group(2))) {
                    wrong.add(line + " but option " + option.name() + " defaults to '" + option.defaultValue() + "'");
                }
            }
        }
        assertTrue(shown > 15, "commented defaults found: " + shown);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void everyMailboxAndSmtpOptionIsDocumentedWithItsDeclaredDefault() throws Exception {
        Map<String, UriOptions.Option> options = new LinkedHashMap<>();
        MailboxBinding.options().forEach((key, option) -> options.put(MailboxBinding.defaultKey(key), option));
        ConfigurationCheck.smtpOptions().forEach((key, option) -> options.put("mail.smtp." + key, option));
        assertTrue(options.containsKey("mail.imap.fetch-size") && options.containsKey("mail.imap.on-uidvalidity-change")
                && options.containsKey("mail.record.max-inline-bytes") && options.containsKey("mail.smtp.idle-timeout"),
                "options read: " + options.keySet());

        String docs = Files.readString(Path.of("docs/configuration.md"));
        List<String> wrong = new ArrayList<>();
        options.forEach((key, option) -> {
            Optional<String> documented = documentedDefault(docs, key);
            if (documented.isEmpty()) {
                wrong.add(key + " (option " + option.name() + ") is not documented");
            } else if (!option.defaultValue().isEmpty() && !sameValue(option, option.defaultValue(), documented.get())) {
                wrong.add(key + " is documented with default '" + documented.get() + "' but option " + option.name()
                        + " defaults to '" + option.defaultValue() + "'");
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** The default column of the key's row: `value` or *(empty)*. */
    private static Optional<String> documentedDefault(String docs, String key) {
        String start = "| `" + key + "` | ";
        return docs.lines().filter(l -> l.startsWith(start)).findFirst().map(l -> {
            String cell = l.substring(start.length(), l.indexOf(" |", start.length()));
            return cell.equals("*(empty)*") ? "" : cell.replace("`", "");
        });
    }

    private static boolean sameValue(UriOptions.Option option, String catalogDefault, String documented) {
        if (option.type() == java.time.Duration.class) {
            return TimeUtils.toMilliSeconds(catalogDefault) == TimeUtils.toMilliSeconds(documented);
        }
        return catalogDefault.equals(documented);
    }
}
