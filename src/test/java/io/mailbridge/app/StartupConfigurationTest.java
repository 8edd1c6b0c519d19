package io.mailbridge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.mailbridge.imap.protocol.FetchMode;
import io.mailbridge.imap.component.ImapUidEndpoint;
import io.mailbridge.imap.component.MailboxConfiguration;
import io.mailbridge.imap.sync.UidValidityPolicy;
import java.time.Duration;
import io.mailbridge.smtp.SmtpEndpoint;
import io.mailbridge.support.RunningMailbridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration stops startup with a message naming each bad key. */
class StartupConfigurationTest {

    @TempDir
    Path data;

    private String startupError(Map<String, String> overrides) {
        return RunningMailbridge.startupError(data, overrides);
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
    void badEnumDurationAndRangeValuesAreReportedByKey() {
        String error = startupError(Map.of("mail.imap.fetch", "everything", "mail.imap.on-uidvalidity-change", "ignore",
                "mail.smtp.idle-timeout", "a while", "mail.smtp.port", "smtp", "mail.imap.fetch-size", "0",
                "mail.imap.folders", " , "));
        assertTrue(error.contains("mail.imap.fetch = 'everything': must be one of full, headers, raw"), error);
        assertTrue(error.contains("mail.imap.on-uidvalidity-change = 'ignore': must be one of since-last-date, all, now, fail"), error);
        assertTrue(error.contains("mail.smtp.idle-timeout = 'a while': not a duration such as 0s, 500, 10s or 1m30s"), error);
        assertTrue(error.contains("mail.smtp.port = 'smtp': not a port number"), error);
        assertTrue(error.contains("mail.imap.fetch-size = '0': must be a whole number, 1 or more"), error);
        assertTrue(error.contains("mail.imap.folders = ' , ': name at least one folder")
                || error.contains("mail.imap.folders = ',': name at least one folder"), error);
    }

    @Test
    void anEmptyValueThatCamelWouldRefuseIsReportedByKey() {
        String error = startupError(Map.of("mail.imap.fetch-size", "", "mail.sink.max-in-flight", ""));
        assertTrue(error.contains("mail.imap.fetch-size is empty: not a whole number"), error);
        assertTrue(error.contains("mail.sink.max-in-flight is empty"), error);
    }

    @Test
    void typedValuesReachTheEndpointsAsWritten() throws Exception {
        try (RunningMailbridge app = RunningMailbridge.start(data, 1, 2525, "u", "p", Map.of(
                "mail.imap.poll-delay", "1m30s", "mail.imap.initial-delay", "1h", "mail.imap.fetch", "HEADERS",
                "mail.imap.on-uidvalidity-change", "fail", "mail.imap.after", "move:Done",
                "mail.smtp.idle-timeout", "2m"))) {
            ImapUidEndpoint imap = app.context().getEndpoints().stream().filter(ImapUidEndpoint.class::isInstance)
                    .map(ImapUidEndpoint.class::cast).findFirst().orElseThrow();
            MailboxConfiguration mailbox = imap.getConfiguration();
            assertEquals(Duration.ofSeconds(90), mailbox.getPollDelay());
            assertEquals(Duration.ofHours(1), mailbox.getInitialDelay());
            assertEquals(FetchMode.HEADERS, mailbox.getFetch());
            assertEquals(UidValidityPolicy.FAIL, mailbox.getOnUidValidityChange());
            assertEquals("move:Done", mailbox.getAfter().toString());
            assertEquals(1, imap.getConfiguration().getPort());
            SmtpEndpoint smtp = app.context().getEndpoints().stream().filter(SmtpEndpoint.class::isInstance)
                    .map(SmtpEndpoint.class::cast).findFirst().orElseThrow();
            assertEquals(120_000, smtp.getIdleTimeout());
            assertEquals(2525, smtp.getConfiguration().getPort());
        }
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
    void anUnknownKeyIsNamedWithTheClosestKnownOne() {
        String error = startupError(Map.of("mail.imap.fetch-sise", "50", "mail.sink.max-inflight", "5",
                "mail.accounts", "sales", "mail.account.sales.host", "imap.example.com",
                "mail.account.sales.serach", "UNSEEN", "mail.account.sale.port", "993"));
        assertTrue(error.contains("mail.imap.fetch-sise: not a mailbridge key (did you mean mail.imap.fetch-size?)"), error);
        assertTrue(error.contains("mail.sink.max-inflight: not a mailbridge key (did you mean mail.sink.max-in-flight?)"), error);
        assertTrue(error.contains("mail.account.sales.serach: not a mailbridge key (did you mean mail.account.sales.search?)"), error);
        assertTrue(error.contains("mail.account.sale.port: account 'sale' is not in mail.accounts [sales] (did you mean sales?)"), error);
    }

    @Test
    void aKeyOfEveryKindTheProjectKnowsPasses() {
        // per-folder search, an account's oauth2 key and per-account options: all known, none is reported
        String error = startupError(Map.of("mail.imap.folder.INBOX.search", "UNSEEN", "mail.accounts", "sales",
                "mail.account.sales.folder.INBOX.search", "ALL", "mail.account.sales.oauth2.scope", "x",
                "mail.account.sales.max-in-flight", "5", "mail.account.sales.idle", "false",
                "mail.smtp.host", ""));
        assertTrue(error.contains("mail.smtp.host is not set"), error);
        assertTrue(!error.contains("not a mailbridge key") && !error.contains("is not in mail.accounts"), error);
    }

    @Test
    void missingHostIsNamed() {
        String error = startupError(Map.of("mail.imap.host", ""));
        assertTrue(error.contains("mail.imap.host is not set"), error);
    }
}
