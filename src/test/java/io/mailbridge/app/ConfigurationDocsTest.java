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

import io.mailbridge.app.RouteOptionKeys.Binding;
import io.mailbridge.component.OptionCatalog;
import io.mailbridge.imap.ImapUidComponent;
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
    void everyEndpointOptionTheRoutesBindIsDocumentedWithTheCatalogDefault() throws Exception {
        Map<String, OptionCatalog> catalogs = Map.of(
                "mailbridge-imap", OptionCatalog.of(ImapUidComponent.class, "mailbridge-imap"),
                "mailbridge-smtp", OptionCatalog.of(SmtpComponent.class, "mailbridge-smtp"));
        List<Binding> bindings = RouteOptionKeys.read(routeFiles(), catalogs);
        assertTrue(bindings.contains(new Binding("mailbridge-imap", "fetch", "mail.imap.fetch"))
                && bindings.contains(new Binding("mailbridge-smtp", "port", "mail.smtp.port")), "bindings read: " + bindings);

        String docs = Files.readString(Path.of("docs/configuration.md"));
        List<String> wrong = new ArrayList<>();
        for (Binding b : bindings) {
            OptionCatalog.Option option = catalogs.get(b.scheme()).options().get(b.option());
            Optional<String> documented = documentedDefault(docs, b.key());
            if (option == null) {
                wrong.add(b + ": the catalog has no such option");
            } else if (documented.isEmpty()) {
                wrong.add(b.key() + " (" + b.scheme() + " option " + b.option() + ") is not documented");
            } else if (option.defaultValue() != null && !sameValue(option, option.defaultValue(), documented.get())) {
                wrong.add(b.key() + " is documented with default '" + documented.get() + "' but " + b.scheme() + " option "
                        + b.option() + " defaults to '" + option.defaultValue() + "'");
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static List<String> routeFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            List<String> texts = new ArrayList<>();
            for (Path p : files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList()) {
                texts.add(Files.readString(p));
            }
            return texts;
        }
    }

    /** The default column of the key's row: `value` or *(empty)*. */
    private static Optional<String> documentedDefault(String docs, String key) {
        String start = "| `" + key + "` | ";
        return docs.lines().filter(l -> l.startsWith(start)).findFirst().map(l -> {
            String cell = l.substring(start.length(), l.indexOf(" |", start.length()));
            return cell.equals("*(empty)*") ? "" : cell.replace("`", "");
        });
    }

    private static boolean sameValue(OptionCatalog.Option option, String catalogDefault, String documented) {
        if (option.type().equals("duration")) {
            return TimeUtils.toMilliSeconds(catalogDefault) == TimeUtils.toMilliSeconds(documented);
        }
        return catalogDefault.equals(documented);
    }
}
