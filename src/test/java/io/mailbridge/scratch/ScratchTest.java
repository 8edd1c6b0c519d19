package io.mailbridge.scratch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {
    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    @TempDir
    Path data;

    @Test
    void big() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        int n = 3000;
        for (int i = 1; i <= n; i++) {
            inbox.appendMessage(TestMessages.plain("sender@example.com", "alice@localhost", "message " + i,
                    "body of message " + i + "\n" + "x".repeat(2000)), new Flags(), new Date());
        }
        long t0 = System.nanoTime();
        try (RunningMailbridge mb = RunningMailbridge.start(data, greenMail.getImap().getPort(), greenMail.getSmtp().getPort(),
                "alice", "secret", Map.of("mail.imap.fetch-size", "50", "mail.sink.log-level", "OFF"))) {
            for (int i = 0; i < 60; i++) {
                Thread.sleep(1000);
                int c;
                try { c = RunningMailbridge.jsonFiles(data.resolve("inbox")).size(); } catch (Exception e) { c = -1; }
                System.out.println("t=" + i + " records=" + c + " " + java.time.LocalTime.now());
                if (c >= n) break;
            }
        }
        System.out.println("took ms " + (System.nanoTime() - t0) / 1_000_000);
    }
}
