package io.mailbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.ImapClient;
import io.mailbridge.support.MailbridgeProcess;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real mailbridge processes on one account (Dovecot), one sink directory and one PostgreSQL
 * schema, under mail.cluster.service=jdbc with a 2 s lease: one reader at a time, takeover when the
 * reader dies, and a paused reader's late checkpoint write refused by the database.
 */
class ReplicasTest {

    static final String ACCOUNT = DovecotServer.USER + "@127.0.0.1";
    static final String LEASE = "2s";
    static DovecotServer dovecot;

    @TempDir
    Path data;
    TestDatabase db;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = DovecotServer.start("replicas");
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @BeforeEach
    void schema() throws Exception {
        db = TestDatabase.create();
    }

    @AfterEach
    void dropSchema() throws Exception {
        db.close();
    }

    @Test
    void onlyOneReplicaIngestsAndTheOtherTakesOverAfterSigkill() throws Exception {
        int messages = 2000;
        int fetchSize = 20;
        fill("Failover", messages);
        Map<String, String> props = replicaProperties("Failover", fetchSize);
        Path inbox = data.resolve("inbox");
        try (MailbridgeProcess one = start(props, "one"); MailbridgeProcess two = start(props, "two")) {
            MailbridgeProcess a = leaderOf(one, two);
            MailbridgeProcess b = a == one ? two : one;
            RunningMailbridge.await(Duration.ofSeconds(60), () -> count(inbox) >= messages / 6, "a sixth ingested by a");
            assertEquals(0, recordLines(b), "the standby ingested nothing while the leader ran");
            a.kill();
            long killed = System.nanoTime();
            int beforeKill = count(inbox);
            RunningMailbridge.await(Duration.ofSeconds(30), () -> holds(b, LockNames.forAccount(ACCOUNT)), "b took over");
            double takeover = (System.nanoTime() - killed) / 1e9;
            RunningMailbridge.await(Duration.ofSeconds(90), () -> count(inbox) >= messages, "every record after takeover");
            Thread.sleep(1000);
            int delivered = recordLines(a) + recordLines(b);
            int twice = delivered - messages;
            System.out.printf("failover: lease %s, SIGKILL with %d of %d records written, takeover after %.2f s,"
                    + " %d delivered twice (fetch size %d)%n", LEASE, beforeKill, messages, takeover, twice, fetchSize);
            assertTrue(beforeKill < messages, "killed mid-backfill");
            assertTrue(takeover < 10, "takeover within lease + a few renewal periods: " + takeover + " s");
            assertTrue(twice >= 0 && twice <= fetchSize, "only the chunk in flight is delivered again: " + twice);
        }
        assertEquals(allUids(messages), uids(inbox), "every message in the sink");
    }

    @Test
    void pausedLeaderIsFencedWhenItWakesUp() throws Exception {
        int messages = 2000;
        fill("Fencing", messages);
        Map<String, String> props = replicaProperties("Fencing", 100);
        Path inbox = data.resolve("inbox");
        try (MailbridgeProcess one = start(props, "one"); MailbridgeProcess two = start(props, "two")) {
            MailbridgeProcess a = leaderOf(one, two);
            MailbridgeProcess b = a == one ? two : one;
            RunningMailbridge.await(Duration.ofSeconds(60), () -> count(inbox) >= messages / 6, "a sixth ingested by a");
            a.pause();
            try {
                RunningMailbridge.await(Duration.ofSeconds(30), () -> holds(b, LockNames.forAccount(ACCOUNT)),
                        "b took over from the paused a");
                RunningMailbridge.await(Duration.ofSeconds(90), () -> count(inbox) >= messages, "b ingested the rest");
            } finally {
                a.resume();
            }
            RunningMailbridge.await(Duration.ofSeconds(20), () -> log(a).contains("the database refused the write"),
                    "a attempted its late checkpoint write and was refused");
            RunningMailbridge.await(Duration.ofSeconds(20), () -> log(a).contains("no longer holds " + LockNames.forAccount(ACCOUNT)),
                    "a gave up the account");
            String refusal = log(a).lines().filter(l -> l.contains("the database refused the write")).findFirst().orElseThrow();
            System.out.println("fencing: " + refusal);
            assertTrue(refusal.contains(" WARN "), refusal);
            Thread.sleep(500);
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT last_uid, updated_by FROM mailbridge_checkpoint WHERE folder = 'Fencing'")) {
                ResultSet rs = ps.executeQuery();
                assertTrue(rs.next());
                assertEquals(messages, rs.getLong(1), "the checkpoint is b's, at the end of the folder");
                assertEquals(clientId(b), rs.getString(2).trim(), "last written by b");
                assertFalse(rs.next());
            }
        }
        assertEquals(allUids(messages), uids(inbox), "every message in the sink");
    }

    Map<String, String> replicaProperties(String folder, int fetchSize) {
        Map<String, String> props = new HashMap<>();
        props.put("mail.embedded.enabled", "false");
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(dovecot.port()));
        props.put("mail.imap.username", DovecotServer.USER);
        props.put("mail.imap.password", DovecotServer.PASSWORD);
        props.put("mail.imap.folders", folder);
        props.put("mail.imap.poll-delay", "200");
        props.put("mail.imap.fetch-size", String.valueOf(fetchSize));
        props.put("mail.sink.log-level", "INFO");
        props.put("mail.checkpoint.store", "jdbc");
        props.put("mail.checkpoint.jdbc.url", db.url());
        props.put("mail.checkpoint.jdbc.username", TestDatabase.USER);
        props.put("mail.cluster.service", "jdbc");
        props.put("mail.cluster.lease", LEASE);
        return props;
    }

    MailbridgeProcess start(Map<String, String> props, String name) throws Exception {
        return MailbridgeProcess.start(data, props, data.resolve(name + ".log"));
    }

    /** Both started at once; the one that got the account's lock. */
    static MailbridgeProcess leaderOf(MailbridgeProcess one, MailbridgeProcess two) throws Exception {
        String lock = LockNames.forAccount(ACCOUNT);
        RunningMailbridge.await(Duration.ofSeconds(60), () -> holds(one, lock) || holds(two, lock), "a leader");
        RunningMailbridge.await(Duration.ofSeconds(60), () -> log(one).contains(") started in")
                && log(two).contains(") started in"), "both replicas started");
        return holds(one, lock) ? one : two;
    }

    /** The processes' logs outlive the temporary directory, for the failure report and the measurements. */
    @AfterEach
    void keepLogs(org.junit.jupiter.api.TestInfo test) throws Exception {
        Path keep = Path.of("target", "replicas-logs", test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(keep);
        for (String name : new String[] {"one.log", "two.log"}) {
            if (Files.exists(data.resolve(name))) {
                Files.copy(data.resolve(name), keep.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void fill(String folder, int n) throws Exception {
        try (ImapClient imap = new ImapClient(dovecot.port(), DovecotServer.USER, DovecotServer.PASSWORD)) {
            imap.create(folder);
            imap.count(folder);
        }
        String filler = "lorem ipsum ".repeat(170);
        for (int i = 1; i <= n; i++) {
            String msg = "From: sender@example.com\r\nTo: alice@localhost\r\nSubject: message " + i + "\r\nMessage-ID: <"
                    + folder + "." + i + "@example.com>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n" + filler + "\r\n";
            dovecot.deliverRaw(folder, String.format("1795000000.%s%07d.localhost", folder, i), msg.getBytes(StandardCharsets.US_ASCII));
        }
    }

    static boolean holds(MailbridgeProcess p, String lock) {
        return log(p).contains("now holds " + lock);
    }

    static String clientId(MailbridgeProcess p) {
        Matcher m = Pattern.compile("This replica \\(([0-9a-f-]{36})\\) now holds").matcher(log(p));
        assertTrue(m.find(), "client id in the log");
        return m.group(1);
    }

    static String log(MailbridgeProcess p) {
        try {
            return p.logText();
        } catch (Exception e) {
            return "";
        }
    }

    /** One INFO line per record written to the sink ("<account>/<folder>/<uidvalidity>/<uid> flags=…"). */
    static int recordLines(MailbridgeProcess p) {
        Matcher m = Pattern.compile(Pattern.quote(ACCOUNT) + "/\\w+/\\d+/\\d+ flags=").matcher(log(p));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static int count(Path inbox) {
        try {
            return RunningMailbridge.jsonFiles(inbox).size();
        } catch (Exception e) {
            return 0;
        }
    }

    static TreeSet<Long> uids(Path inbox) throws Exception {
        TreeSet<Long> uids = new TreeSet<>();
        for (Path f : RunningMailbridge.jsonFiles(inbox)) {
            uids.add(Long.parseLong(f.getFileName().toString().replace(".json", "")));
        }
        return uids;
    }

    static TreeSet<Long> allUids(int n) {
        TreeSet<Long> all = new TreeSet<>();
        for (long i = 1; i <= n; i++) {
            all.add(i);
        }
        return all;
    }
}
