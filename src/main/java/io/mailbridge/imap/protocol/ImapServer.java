package io.mailbridge.imap.protocol;

import io.mailbridge.component.MailServerConfiguration;
import io.mailbridge.oauth2.MailLogin;

/**
 * What a connection to one mailbox needs: the server options, the login every connection of the
 * mailbox shares (so its back-off spans reconnects), the account name for messages, and the hosts
 * whose certificate is trusted without checks (test servers only; null for none).
 */
public record ImapServer(MailServerConfiguration configuration, MailLogin login, String account, String sslTrust) {

    /** {@code host:port} as logs and health show it. */
    public String address() {
        return configuration.address();
    }

    public String host() {
        return configuration.getHost();
    }
}
