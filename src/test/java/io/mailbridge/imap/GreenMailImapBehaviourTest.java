package io.mailbridge.imap;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.util.HashMap;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
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

    /**
     * Polling only: with an IDLE session on a folder, GreenMail 2.1 drops the connection of the client
     * that deletes and recreates it afterwards (the UIDVALIDITY tests). Dovecot runs the same contract
     * with IDLE on (DovecotImapBehaviourTest).
     */
    @Override
    protected RunningMailbridge start(String dir, Map<String, String> overrides) throws Exception {
        Map<String, String> polling = new HashMap<>(overrides);
        polling.putIfAbsent("mail.imap.idle", "false");
        return super.start(dir, polling);
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
