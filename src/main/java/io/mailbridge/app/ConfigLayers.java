package io.mailbridge.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where mailbridge finds its configuration, so the jar runs from any directory:
 * <ol>
 * <li>environment variables ({@code MAIL_IMAP_HOST} for {@code mail.imap.host}) and {@code -D} options;</li>
 * <li>{@code $MAILBRIDGE_CONFIG/application.properties};</li>
 * <li>{@code ./application.properties};</li>
 * <li>the defaults built into the jar ({@code classpath:mailbridge/application.properties}, copied
 * from the project's application.properties at build time).</li>
 * </ol>
 * Properties files override key by key. Routes are replaced as a whole: the first of
 * {@code $MAILBRIDGE_CONFIG/routes/}, {@code ./routes/} that exists holds every route, otherwise the
 * built-in ones are used.
 */
public final class ConfigLayers {

    /** Environment variable naming a configuration directory (application.properties and/or routes/). */
    public static final String CONFIG_DIR_ENV = "MAILBRIDGE_CONFIG";
    static final String BUILT_IN = "classpath:mailbridge/";
    static final String ROUTE_FILES = "*.camel.yaml";

    private final List<Path> directories;

    /** @param configDir the value of {@code MAILBRIDGE_CONFIG}, or null */
    ConfigLayers(String configDir, Path workingDir) {
        List<Path> dirs = new ArrayList<>();
        if (configDir != null && !configDir.isBlank()) {
            Path dir = Path.of(configDir).toAbsolutePath();
            if (!Files.isDirectory(dir)) {
                // a typo here would otherwise start mailbridge silently on the wrong configuration
                throw new IllegalArgumentException(CONFIG_DIR_ENV + "=" + configDir + " is not a directory");
            }
            dirs.add(dir);
        }
        dirs.add(workingDir);
        this.directories = List.copyOf(dirs);
    }

    static ConfigLayers fromEnvironment() {
        return new ConfigLayers(System.getenv(CONFIG_DIR_ENV), Path.of(""));
    }

    /** For Camel's properties component: the first location that has a key wins. */
    String propertyLocations() {
        List<String> locations = new ArrayList<>();
        for (Path dir : directories) {
            locations.add("file:" + dir.resolve("application.properties") + ";optional=true");
        }
        locations.add(BUILT_IN + "application.properties");
        return String.join(",", locations);
    }

    @Override
    public String toString() {
        return "properties " + propertyLocations().replace(";optional=true", "") + " (first wins); routes " + routesPattern();
    }

    /**
     * The layer a value came from, named as the user knows it, from Camel's name for its source
     * ({@code PropertiesResolvedValue.source()}): default (null), built-in, ./application.properties,
     * $MAILBRIDGE_CONFIG/application.properties, environment, -D, or override (set by a program
     * that embeds mailbridge, such as a test).
     */
    String layerOf(String source) {
        if (source == null) {
            return "default";
        }
        if (source.startsWith(BUILT_IN)) {
            return "built-in";
        }
        if (source.startsWith("file:")) {
            Path file = Path.of(source.substring("file:".length())).toAbsolutePath().normalize();
            boolean configDir = directories.size() > 1 && file.equals(directories.get(0).resolve("application.properties").normalize());
            return configDir ? "$" + CONFIG_DIR_ENV + "/application.properties" : "./application.properties";
        }
        return switch (source) {
            case "ENV" -> "environment";
            case "SYS" -> "-D";
            case "OverrideProperties", "InitialProperties" -> "override";
            default -> source;
        };
    }

    /** For {@code camel.main.routes-include-pattern}: one directory's routes, or the built-in ones. */
    String routesPattern() {
        for (Path dir : directories) {
            if (Files.isDirectory(dir.resolve("routes"))) {
                return "file:" + dir.resolve("routes").resolve(ROUTE_FILES);
            }
        }
        return BUILT_IN + "routes/" + ROUTE_FILES;
    }
}
