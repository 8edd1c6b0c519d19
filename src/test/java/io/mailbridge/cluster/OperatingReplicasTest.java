package io.mailbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbridge.support.DovecotServer;
import io.mailbridge.support.Health;
import io.mailbridge.support.MailbridgeProcess;
import io.mailbridge.support.RunningMailbridge;
import io.mailbridge.support.ScratchDir;
import io.mailbridge.support.TestDatabase;
import io.mailbridge.support.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of two replicas (two real processes, two accounts, Dovecot, PostgreSQL, 2 s lease),
 * through each one's management port as a monitoring system would: which replica it is, how many are
 * alive, which locks it holds, counts that survive a handover, health that names the replica doing the
 * work; the SQL query of docs/scaling.md; a third replica started on a port in use; a dead replica's row.
 */
class OperatingReplicasTest {

    private static final List<String> ACCOUNTS = List.of("ops", "sales");
    private static final int FIRST = 20;
    private static final int MORE = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DovecotServer dovecot;
    private TestDatabase db;
    private Path data;

    @BeforeEach
    void dovecotDatabaseAndDataDir() throws Exception {
        dovecot = DovecotServer.start("operating", null, "user-ops:pw-ops", "user-sales:pw-sales");
        db = TestDatabase.create();
        data = ScratchDir.create("mailbridge-operating-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (data != null) {
                ScratchDir.keepLogsAndDelete(data, Path.of("target", "replicas-logs", getClass().getSimpleName()),
                        "a.log", "b.log", "c.log");
            }
            if (db != null) {
                db.close();
            }
        } finally {
            if (dovecot != null) {
                dovecot.close();
            }
        }
    }

    @Test
    void eachReplicaSaysWhatItDoesAndKeepsItsCountsAfterAHandover() throws Exception {
        deliver(1, FIRST);
        int portA = Health.freePort();
        int portB = Health.freePort();
        try (MailbridgeProcess a = start("a", portA)) {
            await(() -> delivered(portA, "ops") == FIRST && delivered(portA, "sales") == FIRST, "replica-a alone reads both", a);
            assertEquals(1.0, metric(portA, "mailbridge_replica_info", "replica=\"replica-a\""));
            assertEquals(1.0, metric(portA, "mailbridge_cluster_lock_held", "lock=\"outbound\""));
            try (MailbridgeProcess b = start("b", portB)) {
                await(() -> held(portA) == 1 && held(portB) == 1, "one account each", b);
                String gaveUp = holds(portA, "ops") ? "sales" : "ops";
                String kept = gaveUp.equals("ops") ? "sales" : "ops";
                // 2. cluster metrics on both: every lock held exactly once over the replicas
                for (int port : new int[] { portA, portB }) {
                    await(() -> metric(port, "mailbridge_cluster_replicas", "") == 2.0, "two replicas alive on " + port, b);
                }
                for (String lock : List.of("account:ops", "account:sales", "outbound")) {
                    assertEquals(1.0, metric(portA, "mailbridge_cluster_lock_held", "lock=\"" + lock + "\"")
                            + metric(portB, "mailbridge_cluster_lock_held", "lock=\"" + lock + "\""), lock + " held once");
                }
                // 3. health per replica
                await(() -> detail(portA, "mailboxes", "account." + gaveUp).equals("STANDBY: read by replica-b"), "a names b", b);
                assertEquals("UP", detail(portA, "mailboxes", "account." + kept));
                // Camel's master: consumer starts the route a second after the grant ("read by this replica, starting")
                await(() -> detail(portB, "mailboxes", "account." + gaveUp).equals("UP"), "b reads " + gaveUp, b);
                assertEquals("STANDBY: read by replica-a", detail(portB, "mailboxes", "account." + kept));
                assertEquals("UP", detail(portA, "outbound", "route.smtp-outbound"));
                assertEquals("STANDBY: sent by replica-a", detail(portB, "outbound", "route.smtp-outbound"));
                assertEquals(200, Health.readiness(portB).statusCode(), "a replica reading one account is ready");
                // 4. the replica that gave an account up still exports what it delivered of it
                deliver(FIRST + 1, MORE);
                await(() -> delivered(portA, gaveUp) + delivered(portB, gaveUp) == FIRST + MORE
                        && delivered(portA, kept) == FIRST + MORE, "the new mail delivered", b);
                assertEquals(FIRST, delivered(portA, gaveUp), "replica-a's count of " + gaveUp + " kept after the handover");
                assertEquals(MORE, delivered(portB, gaveUp));
                assertEquals(records(a, gaveUp) + records(b, gaveUp), FIRST + MORE, "the sum over the replicas is what was delivered");
                // 1. one SQL query, from the docs, lists who holds what
                Map<String, String> holders = holdersBySql();
                assertEquals(Map.of("account:" + kept, "replica-a", "account:" + gaveUp, "replica-b", "outbound", "replica-a"), holders);
                // 5. a third replica on a port in use exits at once, naming the key
                thirdReplicaOnAUsedPortExits(portA);
                assertNoWarn(b);
                b.kill();
                await(() -> metric(portA, "mailbridge_cluster_replicas", "") == 1.0 && held(portA) == 2, "replica-a alone again", a);
                // the dead replica's row goes after three leases
                await(() -> replicaRows().equals(List.of("replica-a")), "replica-b's row removed", a);
            }
            assertNoWarn(a);
        }
    }

    private void thirdReplicaOnAUsedPortExits(int usedPort) throws Exception {
        long started = System.nanoTime();
        try (MailbridgeProcess c = start("c", usedPort)) {
            int exit = c.exitCode(Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - started) / 1e9;
            String log = c.logText();
            assertTrue(exit != 0, "exit status " + exit);
            assertTrue(log.contains("ERROR") && log.contains("camel.management.port = " + usedPort + ": 127.0.0.1:" + usedPort
                    + " is already in use"), log);
            assertFalse(log.contains("now holds"), "it took no lock");
            System.out.printf("operating replicas: a third replica on a used port exited with %d after %.1f s%n", exit, seconds);
        }
    }

    private MailbridgeProcess start(String name, int managementPort) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("mail.embedded.enabled", "false");
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(dovecot.port()));
        p.put("mail.imap.idle", "false");
        p.put("mail.imap.poll-delay", "200");
        p.put("mail.imap.fetch-size", "5");
        p.put("mail.accounts", String.join(",", ACCOUNTS));
        for (String account : ACCOUNTS) {
            p.put("mail.account." + account + ".username", "user-" + account);
            p.put("mail.account." + account + ".password", "pw-" + account);
        }
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", "1");
        p.put("mail.cluster.replica-id", "replica-" + name);
        p.put("camel.management.enabled", "true");
        p.put("camel.management.port", String.valueOf(managementPort));
        p.putAll(db.replicaProperties("2s"));
        return MailbridgeProcess.start(data.resolve(name), p, data.resolve(name + ".log"));
    }

    private void deliver(int from, int count) throws IOException {
        for (int i = from; i < from + count; i++) {
            for (String account : ACCOUNTS) {
                dovecot.deliverRaw("user-" + account, "INBOX", String.format("1795000000.%s%07d.localhost", account, i),
                        TestMessages.small(account + "." + i + "@example.com", "message " + i));
            }
        }
    }

    /** The SQL query of docs/scaling.md ("Who holds what"), lock name -> replica id, for the locks held now. */
    private Map<String, String> holdersBySql() throws Exception {
        String docs = Files.readString(Path.of("docs/scaling.md"));
        Matcher m = Pattern.compile("```sql\n(SELECT n\\.lock_name.*?);\n```", Pattern.DOTALL).matcher(docs);
        assertTrue(m.find(), "docs/scaling.md shows the query");
        Map<String, String> holders = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(m.group(1))) {
            while (rs.next()) {
                if (rs.getBoolean("held")) {
                    holders.put(rs.getString("lock_name"), rs.getString("replica_id"));
                }
            }
        }
        return holders;
    }

    private List<String> replicaRows() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT replica_id FROM mailbridge_replica ORDER BY replica_id")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        } catch (Exception e) {
            return List.of();
        }
    }

    private static int records(MailbridgeProcess p, String account) throws IOException {
        return (int) RunningMailbridge.jsonFiles(Path.of(p.dataDir().toString(), "inbox")).stream()
                .filter(f -> f.toString().contains("/" + account + "/")).count();
    }

    private static double delivered(int port, String account) {
        return metric(port, "mailbridge_imap_records_delivered_total", "account=\"" + account + "\"");
    }

    private static boolean holds(int port, String account) {
        return metric(port, "mailbridge_cluster_lock_held", "lock=\"account:" + account + "\"") == 1.0;
    }

    private static int held(int port) {
        return (holds(port, "ops") ? 1 : 0) + (holds(port, "sales") ? 1 : 0);
    }

    /** The value of the first series of {@code name} whose labels contain {@code label}; 0 when there is none. */
    private static double metric(int port, String name, String label) {
        for (String line : get(port, "/observe/metrics").split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labels = line.contains("{") ? line.substring(line.indexOf('{'), line.indexOf('}') + 1) : "";
                if (labels.contains(label)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }

    /** One detail of one check of {@code /observe/health?data=true}; "" when absent. */
    private static String detail(int port, String check, String key) {
        try {
            for (JsonNode c : JSON.readTree(get(port, "/observe/health?data=true")).path("checks")) {
                if (check.equals(c.path("name").asText())) {
                    return c.path("data").path(key).asText("");
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String get(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what, MailbridgeProcess p) throws Exception {
        try {
            RunningMailbridge.await(Duration.ofSeconds(60), condition, what);
        } catch (AssertionError e) {
            throw new AssertionError(what + "; log tail:\n" + tail(p.logSoFar()), e);
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }

    /** WARN means act: a run where nothing went wrong logs none (the lock-grant WARN of Camel's master: is dropped). */
    private static void assertNoWarn(MailbridgeProcess p) {
        List<String> warns = p.logSoFar().lines().filter(l -> l.contains(" WARN ")).toList();
        assertTrue(warns.isEmpty(), "WARN lines in normal operation:\n" + String.join("\n", warns));
    }
}
