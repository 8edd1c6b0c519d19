package io.mailbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections with a write timeout cost no thread each: Angus Mail builds a scheduler thread per
 * socket unless it is given one, which made 3 threads per account (bench/accounts.sh).
 */
class WriteTimeoutsTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @Test
    void connectionsShareOneWriteTimeoutThread() throws Exception {
        greenMail.setUser("alice@localhost", "alice", "secret");
        Properties shared = new Properties();
        WriteTimeouts.configure(shared, "imap", 5000, 5000, 5000);
        assertEquals(0, newSchedulerThreads(shared), "no thread per connection with the shared scheduler");

        Properties perSocket = new Properties(); // what Angus does on its own: the control, so the count means something
        perSocket.put("mail.imap.writetimeout", "5000");
        assertEquals(3, newSchedulerThreads(perSocket), "Angus' own: one scheduler thread per connection");
    }

    /** Opens a store and two folders (three connections) and counts the scheduler threads that appeared. */
    private static int newSchedulerThreads(Properties props) throws Exception {
        Set<Long> before = schedulerThreads();
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", greenMail.getImap().getPort(), "alice", "secret");
        List<Folder> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                open.add(inbox);
            }
            store.getDefaultFolder().list(); // the store's own connection, next to the two folders'
            Set<Long> after = schedulerThreads();
            after.removeAll(before);
            return after.size();
        } finally {
            for (Folder f : open) {
                f.close(false);
            }
            store.close();
        }
    }

    private static Set<Long> schedulerThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("pool-") && e.getKey().isAlive()
                        && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().contains("ScheduledThreadPoolExecutor")))
                .map(e -> e.getKey().getId())
                .collect(Collectors.toSet());
    }
}
