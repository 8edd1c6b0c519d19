package io.mailbridge.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{file:/run/secrets/imap-password}}}: the content of a file, without its trailing line break,
 * for secrets mounted as files (Docker/Kubernetes secrets). Camel has {@code env:} and {@code sys:},
 * not this one; it is found through META-INF/services/org/apache/camel/properties-function/file.
 */
@org.apache.camel.spi.annotations.PropertiesFunction("file")
public class FilePropertiesFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "file";
    }

    @Override
    public String apply(String remainder) {
        Path file = Path.of(remainder.trim());
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
            // names the file, never its content
            throw new UncheckedIOException("Cannot read the secret file " + file + ": " + e.getMessage(), e);
        }
    }
}
