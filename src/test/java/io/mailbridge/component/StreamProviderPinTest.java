package io.mailbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import io.mailbridge.record.MessageRecordMapper;
import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

/** Jakarta Mail must not scan the class path for its StreamProvider on every parsed message. */
class StreamProviderPinTest {

    /** Records which resources Jakarta Mail looks up through the context class loader. */
    static final class CountingLoader extends ClassLoader {
        final List<String> lookups = new ArrayList<>();

        CountingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            lookups.add(name);
            return super.getResources(name);
        }
    }

    @Test
    void theMapperPinsAngusSoProviderLookupsDoNotScanTheClassPath() {
        new MessageRecordMapper();
        assertEquals(StreamProviderPin.ANGUS, System.getProperty(StreamProviderPin.PROPERTY));

        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        CountingLoader counting = new CountingLoader(original);
        thread.setContextClassLoader(counting);
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(StreamProviderPin.ANGUS, StreamProvider.provider().getClass().getName());
            }
        } finally {
            thread.setContextClassLoader(original);
        }
        assertTrue(counting.lookups.stream().noneMatch(n -> n.startsWith("META-INF/services/")),
                "class path scans: " + counting.lookups);
    }

    @Test
    void aValueTheUserSetIsKept() {
        String before = System.getProperty(StreamProviderPin.PROPERTY);
        System.setProperty(StreamProviderPin.PROPERTY, "com.example.TheirProvider");
        try {
            StreamProviderPin.apply();
            assertEquals("com.example.TheirProvider", System.getProperty(StreamProviderPin.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(StreamProviderPin.PROPERTY);
            } else {
                System.setProperty(StreamProviderPin.PROPERTY, before);
            }
        }
    }
}
