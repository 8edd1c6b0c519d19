package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the configuration comes from (the packaged jar itself: JarFromAnyDirectoryIT). */
class ConfigLayersTest {

    @TempDir
    Path tmp;

    @Test
    void configDirectoryThenWorkingDirectoryThenTheJarsDefaults() throws Exception {
        Path work = tmp.resolve("work");
        Path config = Files.createDirectories(tmp.resolve("config"));
        assertEquals("file:" + config + "/application.properties;optional=true,file:" + work
                + "/application.properties;optional=true,classpath:mailbridge/application.properties",
                new ConfigLayers(config.toString(), work).propertyLocations());
        assertEquals("file:" + work + "/application.properties;optional=true,classpath:mailbridge/application.properties",
                new ConfigLayers(null, work).propertyLocations());
    }

    @Test
    void aConfigDirectoryThatDoesNotExistStopsStartup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConfigLayers(tmp.resolve("typo").toString(), tmp));
        assertEquals("MAILBRIDGE_CONFIG=" + tmp.resolve("typo") + " is not a directory", e.getMessage());
    }

    @Test
    void theFirstRoutesDirectoryThatExistsReplacesTheBuiltInRoutes() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path config = Files.createDirectories(tmp.resolve("config"));
        assertEquals("classpath:mailbridge/routes/*.camel.yaml", new ConfigLayers(config.toString(), work).routesPattern());
        Files.createDirectories(work.resolve("routes"));
        assertEquals("file:" + work + "/routes/*.camel.yaml", new ConfigLayers(config.toString(), work).routesPattern());
        Files.createDirectories(config.resolve("routes"));
        assertEquals("file:" + config + "/routes/*.camel.yaml", new ConfigLayers(config.toString(), work).routesPattern());
    }
}
