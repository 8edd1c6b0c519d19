package io.mailbridge.imap;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class GreenMailImapBehaviourTest extends ImapBehaviourContract {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @BeforeEach
    @Override
    void connect() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        super.connect();
    }

    @Override
    protected int imapPort() {
        return greenMail.getImap().getPort();
    }

    @Override
    protected String user() {
        return "alice";
    }

    @Override
    protected String password() {
        return "secret";
    }
}
