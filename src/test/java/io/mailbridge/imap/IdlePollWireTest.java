package io.mailbridge.imap;

import io.mailbridge.imap.component.ImapUidConsumer;
import io.mailbridge.imap.sync.PollStatistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailbridge.support.CountingImapProxy;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestMessages;
import jakarta.mail.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an idle poll costs the server, counted on the wire: {@code NOOP} (so Dovecot looks for mail
 * delivered into the Maildir behind its back) and {@code UID FETCH * (UID)}, and nothing else: no
 * SEARCH, no second NOOP from Angus Mail's {@code isOpen()} probe.
 */
class IdlePollWireTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

    @TempDir
    Path data;

    @Test
    void anIdlePollSendsANoopAndOneUidFetch() throws Exception {
        GreenMailUser user = greenMail.setUser("alice@localhost", "alice", "secret");
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        for (int i = 1; i <= 3; i++) {
            inbox.appendMessage(TestMessages.plain("bob@example.com", "alice@localhost", "m" + i, "body " + i), new Flags(), new Date());
        }
        try (CountingImapProxy proxy = new CountingImapProxy(greenMail.getImap().getPort());
                RunningMailbridge mb = RunningMailbridge.start(data, proxy.port(), greenMail.getSmtp().getPort(), "alice", "secret",
                        Map.of("mail.imap.poll-delay", "1200", "mail.imap.idle", "false", "mail.sink.log-level", "OFF"))) {
            PollStatistics stats = ((ImapUidConsumer) mb.context().getRoute("imap-inbound").getConsumer()).statistics();
            RunningMailbridge.await(Duration.ofSeconds(30), () -> stats.delivered() >= 3 && stats.idlePolls() >= 1, "3 delivered, then an idle poll");
            // an idle poll counts itself after its command: right after the count moved, the next poll is 1.2 s away
            long seen = stats.idlePolls();
            RunningMailbridge.await(Duration.ofSeconds(10), () -> stats.idlePolls() > seen, "the next idle poll");
            long first = stats.idlePolls();
            int before = proxy.commands().size();
            RunningMailbridge.await(Duration.ofSeconds(20), () -> stats.idlePolls() >= first + 3, "3 more idle polls");
            long polls = stats.idlePolls() - first;
            List<String> sent = proxy.commands().subList(before, proxy.commands().size());
            List<String> expected = new java.util.ArrayList<>();
            for (long i = 0; i < polls; i++) {
                expected.addAll(List.of("NOOP", "UID FETCH"));
            }
            assertEquals(expected, sent, polls + " idle polls sent " + sent);
        }
    }
}
