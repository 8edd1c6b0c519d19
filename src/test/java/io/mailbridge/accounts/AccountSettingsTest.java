package io.mailbridge.accounts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad account setting stops startup naming mail.account.<name>.<key>, like the mail.imap.* checks. */
class AccountSettingsTest {

    @TempDir
    Path data;

    private String startupError(Map<String, String> overrides) {
        return RunningMailbridge.startupError(data, overrides);
    }

    @Test
    void badAccountValuesAreReportedByTheirAccountKey() {
        String error = startupError(Map.of("mail.accounts", "support,invoices,bad name",
                "mail.account.support.port", "imap",
                "mail.account.support.after", "archive",
                "mail.account.invoices.search", "UNSEEN FROMM billing",
                "mail.account.invoices.auth", "oauth2",
                "mail.account.invoices.poll-delay", "soon"));
        assertTrue(error.contains("mail.account.support.port = 'imap': not a port number"), error);
        assertTrue(error.contains("mail.account.support.after = 'archive' is not one of none, seen"), error);
        assertTrue(error.contains("mail.account.invoices.search: invalid IMAP search: unknown search key 'FROMM'"), error);
        assertTrue(error.contains("mail.account.invoices.poll-delay = 'soon'"), error);
        assertTrue(error.contains("auth=oauth2 needs exactly one of mail.account.invoices.oauth2.token-url, "
                + "mail.account.invoices.oauth2.token-file, mail.account.invoices.oauth2.token-command (none is set)"), error);
        assertTrue(error.contains("mail.accounts: 'bad name' is not a valid account name"), error);
    }

    @Test
    void anAccountWithoutHostAnywhereNamesItsKey() {
        String error = startupError(Map.of("mail.accounts", "support", "mail.imap.host", ""));
        assertTrue(error.contains("mail.account.support.host is not set (nor mail.imap.host)"), error);
    }

    @Test
    void oauth2WithATokenEndpointNeedsAClientId() {
        String error = startupError(Map.of("mail.smtp.auth", "oauth2", "mail.smtp.oauth2.token-url", "https://login.example.com/token"));
        assertTrue(error.contains("mail.smtp.oauth2.client-id is not set (needed with mail.smtp.oauth2.token-url)"), error);
    }
}
