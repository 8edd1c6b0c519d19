package io.mailbridge.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.mailbridge.accounts.Account;
import io.mailbridge.accounts.Accounts;
import io.mailbridge.checkpoint.CheckpointStore;
import io.mailbridge.cluster.Replication;
import io.mailbridge.embedded.EmbeddedMailServer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.URISupport;

/**
 * {@code --check}: shows the resolved configuration ({@link ConfigurationReport}), then asks every
 * mailbox, the SMTP server and each sink whether it answers ({@link MailboxProbe}, {@link SmtpProbe},
 * {@link SinkProbe}), all at once and within {@link #DEADLINE_SECONDS}. Camel is configured but never
 * started: no route reads or sends, no checkpoint moves, no cluster lock is taken and the replica
 * roster is not joined. The embedded demo server does start (without its demo request), so the demo
 * configuration can be checked too. Exit code 0 when everything answered, 1 when something did not,
 * 2 when the configuration itself is invalid.
 */
public final class CheckCommand {

    public static final String FLAG = "--check";
    static final int DEADLINE_SECONDS = 45;
    /** Longest wait for one server response: a dead host fails well inside the deadline. */
    static final int SERVER_TIMEOUT_MILLIS = 20_000;

    private final PrintStream out;

    private CheckCommand(PrintStream out) {
        this.out = out;
    }

    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(FLAG);
    }

    /** Configures {@code main} (from {@link MailbridgeApp#create()}), checks, prints to {@code out}; the exit code. */
    public static int run(Main main, PrintStream out) {
        main.addOverrideProperty("mail.embedded.demo-request", "false");
        CheckCommand command = new CheckCommand(out);
        try {
            main.init(); // binds and validates everything, adds the routes; starts nothing but the embedded server
        } catch (Exception e) {
            return command.configurationFailed(e);
        }
        CamelContext context = main.getCamelContext();
        try {
            return command.check(context);
        } finally {
            stopWhatStarted(context);
        }
    }

    private int check(CamelContext context) {
        List<Account> accounts = context.getRegistry().lookupByNameAndType(Accounts.BEAN, Accounts.class).all();
        List<CheckFindings> all = new ArrayList<>();
        all.add(new ConfigurationReport(context.getPropertiesComponent(), ConfigLayers.fromEnvironment()).report(accounts));
        all.addAll(probeAll(probes(context, accounts)));
        List<String> failures = new ArrayList<>();
        for (CheckFindings findings : all) {
            findings.lines().forEach(out::println);
            failures.addAll(findings.failures());
        }
        failures.forEach(out::println);
        out.println(failures.isEmpty() ? "check result=ok" : "check result=failed failures=" + failures.size());
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    /** What answers for what: each mailbox, the SMTP server, each distinct sink and the dead-letter destination. */
    private static Map<String, Callable<CheckFindings>> probes(CamelContext context, List<Account> accounts) {
        CheckpointStore checkpoints = context.getRegistry().lookupByNameAndType("checkpointStore", CheckpointStore.class);
        Map<String, Callable<CheckFindings>> probes = new LinkedHashMap<>();
        for (Account account : accounts) {
            probes.put("account=" + account.name(), new MailboxProbe(account, checkpoints, SERVER_TIMEOUT_MILLIS));
        }
        probes.put("smtp", new SmtpProbe(context, SERVER_TIMEOUT_MILLIS));
        for (Account account : accounts) {
            // mailboxes often share one sink: asked once
            probes.putIfAbsent("sink=" + URISupport.sanitizeUri(account.sinkUri()), new SinkProbe(context, "sink", account.sinkUri()));
        }
        String deadLetter = context.getPropertiesComponent().resolveProperty("mail.dead-letter.uri").orElse("").trim();
        probes.put("dead-letter=" + URISupport.sanitizeUri(deadLetter), new SinkProbe(context, "dead-letter", deadLetter));
        return probes;
    }

    /** Runs the probes side by side; one still busy at the deadline is reported as not answering. */
    private static List<CheckFindings> probeAll(Map<String, Callable<CheckFindings>> probes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(probes.size(), 16), r -> {
            Thread t = new Thread(r, "mailbridge-check");
            t.setDaemon(true); // a probe stuck past the deadline must not keep the JVM alive
            return t;
        });
        Map<String, Future<CheckFindings>> running = new LinkedHashMap<>();
        probes.forEach((what, probe) -> running.put(what, pool.submit(probe)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        List<CheckFindings> results = new ArrayList<>();
        running.forEach((what, future) -> results.add(outcome(what, future, deadline)));
        pool.shutdownNow();
        return results;
    }

    private static CheckFindings outcome(String what, Future<CheckFindings> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            return CheckFindings.failure(what, "no answer within " + DEADLINE_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckFindings.failure(what, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return CheckFindings.failure(what, ProbeErrors.reason(e.getCause()));
        }
    }

    /** An invalid configuration: each problem on a line of its own, as startup would list them. */
    private int configurationFailed(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof io.mailbridge.config.InvalidConfigurationException)) {
            cause = cause.getCause();
        }
        List<String> problems = cause instanceof io.mailbridge.config.InvalidConfigurationException
                ? Arrays.stream(cause.getMessage().split("\n  - ")).skip(1).toList()
                : List.of(ProbeErrors.reason(e));
        problems.forEach(p -> out.println("check failed configuration: " + p));
        out.println("check result=failed failures=" + problems.size());
        out.flush();
        return 2;
    }

    /** The context never started, so stopping it would do nothing: what init started is stopped by hand. */
    private static void stopWhatStarted(CamelContext context) {
        ServiceHelper.stopService(context.hasService(EmbeddedMailServer.class));
        Replication replication = context.getRegistry().lookupByNameAndType(Replication.BEAN, Replication.class);
        if (replication != null) {
            replication.close();
        }
    }
}
