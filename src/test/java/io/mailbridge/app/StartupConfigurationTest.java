package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration stops startup with a message naming each bad key. */
class StartupConfigurationTest {

    @TempDir
    Path data;

    private String startupError(Map<String, String> overrides) {
        Throwable t = assertThrows(Exception.class, () -> RunningMailbridge.start(data, 1, 1, "u", "p", overrides).close());
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void badValuesAreReportedByKey() {
        String error = startupError(Map.of("mail.imap.port", "imap", "mail.imap.poll-delay", "soon",
                "mail.imap.after", "archive", "mail.smtp.from", "not an address", "mail.imap.ssl", "yes",
                "mail.imap.initial-delay", "later"));
        assertTrue(error.contains("mail.imap.port = 'imap': not a port number"), error);
        assertTrue(error.contains("mail.imap.poll-delay = 'soon'"), error);
        assertTrue(error.contains("mail.imap.after = 'archive' is not one of none, seen"), error);
        assertTrue(error.contains("mail.smtp.from = 'not an address'"), error);
        assertTrue(error.contains("mail.imap.ssl = 'yes': must be true or false"), error);
        assertTrue(error.contains("mail.imap.initial-delay = 'later': not a duration such as 0s, 500, 10s or 1m30s"), error);
    }

    @Test
    void badSearchNamesTheKeyAndPointsAtTheToken() {
        String error = startupError(Map.of("mail.imap.search", "UNSEEN FROMM billing"));
        assertTrue(error.contains("mail.imap.search: invalid IMAP search: unknown search key 'FROMM' at position 8"), error);
    }

    @Test
    void perFolderSearchIsCheckedToo() {
        String error = startupError(Map.of("mail.imap.folders", "INBOX,Invoices",
                "mail.imap.folder.Invoices.search", "SINCE tomorrow"));
        assertTrue(error.contains("mail.imap.folder.Invoices.search"), error);
    }

    @Test
    void sinkBackOffMustGrowTowardsItsMaximum() {
        String error = startupError(Map.of("mail.sink.redelivery-delay", "10s", "mail.sink.max-redelivery-delay", "2s"));
        assertTrue(error.contains("mail.sink.max-redelivery-delay = '2s': must not be shorter than mail.sink.redelivery-delay = '10s'"), error);
    }

    @Test
    void missingHostIsNamed() {
        String error = startupError(Map.of("mail.imap.host", ""));
        assertTrue(error.contains("mail.imap.host is not set"), error);
    }
}
