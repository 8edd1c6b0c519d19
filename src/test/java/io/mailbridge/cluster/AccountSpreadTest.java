package io.mailbridge.cluster;

import io.mailbridge.checkpoint.LockFence;
import io.mailbridge.checkpoint.LockNames;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestDatabase;
import org.apache.camel.cluster.CamelClusterService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several accounts, several replicas (mail.cluster.service=jdbc on the machine's PostgreSQL): the
 * accounts spread evenly, a replica that joins late gets its share from the others, and one left
 * alone takes them all. No IMAP server is needed: leadership does not depend on the mailbox.
 */
class AccountSpreadTest {

    private static final List<String> ACCOUNTS = List.of("a1", "a2", "a3", "a4");

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @Test
    void accountsSpreadOverTheReplicasAndALoneReplicaTakesThemAll() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, String> props = properties(db);
            try (RunningMailbridge a = RunningMailbridge.start(dataA, 1, 1, "u", "p", props)) {
                RunningMailbridge.await(Duration.ofSeconds(20), () -> held(a) == 4, "a lone replica takes every account");
                long joined;
                try (RunningMailbridge b = RunningMailbridge.start(dataB, 1, 1, "u", "p", props)) {
                    joined = System.nanoTime();
                    RunningMailbridge.await(Duration.ofSeconds(20), () -> held(a) == 2 && held(b) == 2,
                            "two accounts each once the second replica joined");
                    System.out.printf("account spread: 2 + 2 accounts %.1f s after the second replica started%n",
                            (System.nanoTime() - joined) / 1e9);
                    for (int i = 0; i < 20; i++) { // and it stays so: no account is given back and forth
                        for (String account : ACCOUNTS) {
                            assertFalse(leads(a, account) && leads(b, account), account + " led by both");
                        }
                        Thread.sleep(100);
                    }
                    RunningMailbridge.await(Duration.ofSeconds(1), () -> held(a) == 2 && held(b) == 2, "still two each");
                }
                RunningMailbridge.await(Duration.ofSeconds(20), () -> held(a) == 4, "the second replica stopped: the first takes all");
            }
        }
    }

    private static Map<String, String> properties(TestDatabase db) {
        Map<String, String> p = new HashMap<>(db.replicaProperties("1s"));
        p.putAll(Map.of(
                "mail.accounts", String.join(",", ACCOUNTS),
                "mail.imap.idle", "false",
                "mail.imap.max-backoff", "10s"));
        return p;
    }

    private static int held(RunningMailbridge mb) {
        return (int) ACCOUNTS.stream().filter(account -> leads(mb, account)).count();
    }

    private static boolean leads(RunningMailbridge mb, String account) {
        CamelClusterService service = mb.context().hasService(CamelClusterService.class);
        return service != null && service.isLeader(LockNames.forAccount(account));
    }
}
