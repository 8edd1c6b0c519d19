package io.mailbridge.checkpoint;

import java.nio.file.Path;
import java.util.Date;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.CrashRecovery;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL in the middle of a backfill from GreenMail (the server outlives the killed process). */
class CrashRecoveryGreenMailTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void killedMidBatchAndRestartedDeliversEveryMessageExactlyOnce() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        int n = 3000;
        for (int i = 1; i <= n; i++) {
            inbox.appendMessage(TestMessages.plain("sender@example.com", "alice@localhost", "message " + i,
                    "body of message " + i + "\n" + "x".repeat(2000)), new Flags(), new Date());
        }
        CrashRecovery.run(data, greenMail.getImap().getPort(), "alice", "secret", n, 50);
    }
}
