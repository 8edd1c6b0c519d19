package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Every key in application.properties is documented in docs/configuration.md, with the same default. */
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
}
