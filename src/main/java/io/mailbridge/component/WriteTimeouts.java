package io.mailbridge.component;

import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Socket timeouts for a Jakarta Mail session, with one write-timeout scheduler for the whole JVM.
 * Angus implements {@code mail.<protocol>.writetimeout} by scheduling a task per write that closes
 * the socket when the write has not returned in time, and without {@code
 * mail.<protocol>.executor.writetimeout} it builds a scheduler thread of its own for every connection:
 * three per account (commands, the selected folder, IDLE), 150 threads at 50 accounts (bench/accounts.sh).
 * Angus does not shut down a scheduler it was given, so one shared daemon thread serves every
 * connection; its tasks only run when a write hangs.
 */
public final class WriteTimeouts {

    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private WriteTimeouts() {
    }

    /** Connect, read and write timeouts in milliseconds for {@code protocol} (imap, imaps, smtp, smtps). */
    public static void configure(Properties props, String protocol, int connectMillis, int readMillis, int writeMillis) {
        String prefix = "mail." + protocol + ".";
        props.put(prefix + "connectiontimeout", String.valueOf(connectMillis));
        props.put(prefix + "timeout", String.valueOf(readMillis));
        props.put(prefix + "writetimeout", String.valueOf(writeMillis));
        props.put(prefix + "executor.writetimeout", SCHEDULER);
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mailbridge-write-timeout");
            t.setDaemon(true);
            return t;
        });
        // every write schedules and then cancels a task: drop cancelled ones at once, as Angus' own does
        s.setRemoveOnCancelPolicy(true);
        return s;
    }
}
