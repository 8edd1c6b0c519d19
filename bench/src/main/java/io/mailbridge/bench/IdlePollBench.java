package io.mailbridge.bench;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Idle-poll cost: ms per poll when nothing is new, measured around the consumer's own
 * {@code poll()} (the method Camel's scheduler calls), invoked K times from this thread after the
 * backfill. The scheduler itself is parked (initialDelay/delay of a day), so nothing else polls.
 *
 * <pre>
 * java -cp bench/target/classes:target/mailbridge.jar io.mailbridge.bench.IdlePollBench mailbridge PORT N WORKDIR K MAX_SECONDS
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.mailbridge.bench.IdlePollBench baseline PORT N WORKDIR K MAX_SECONDS
 * </pre>
 *
 * mailbridge: the product's own {@code mailbridge-imap} component with its {@code FileCheckpointStore}
 * (found on the classpath by name, so this module does not compile against mailbridge); the route body
 * only counts (the idle poll never reaches it). baseline: exactly the route of {@link BaselineCamelMail}.
 * Prints one line {@code IDLE-RESULT {json}}.
 */
public final class IdlePollBench {

    private static final long PARKED = 86_400_000L;

    private IdlePollBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        long n = Long.parseLong(args[2]);
        Path work = Path.of(args[3]);
        int k = Integer.parseInt(args[4]);
        double maxSeconds = Double.parseDouble(args[5]);
        Files.createDirectories(work);

        AtomicLong delivered = new AtomicLong();
        CamelContext context = new DefaultCamelContext();
        if (mode.equals("mailbridge")) {
            Object store = Class.forName("io.mailbridge.checkpoint.FileCheckpointStore")
                    .getConstructor(Path.class).newInstance(work.resolve("checkpoints"));
            context.getRegistry().bind("checkpointStore", store);
            String uri = "mailbridge-imap:127.0.0.1?port=" + port + "&username=alice&password=secret&folders=INBOX"
                    + "&checkpointStore=#checkpointStore&delay=" + PARKED + "&initialDelay=" + PARKED;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("bench").process(e -> delivered.incrementAndGet());
                }
            });
        } else if (mode.equals("baseline")) {
            RouteBuilder rb = BaselineCamelMail.route(BaselineCamelMail.imapUri(port, PARKED, PARKED),
                    work.resolve("out").toString(), delivered);
            context.addRoutes(rb);
        } else {
            throw new IllegalArgumentException("mode: mailbridge | baseline");
        }
        context.start();
        String routeId = mode.equals("mailbridge") ? "bench" : "baseline";
        Consumer consumer = context.getRoute(routeId).getConsumer();
        Method poll = ScheduledPollConsumer.class.getDeclaredMethod("poll");
        poll.setAccessible(true);

        // backfill: poll until every message went through the route
        long b0 = System.nanoTime();
        int backfillPolls = 0;
        while (delivered.get() < n && backfillPolls < 20) {
            poll.invoke(consumer);
            backfillPolls++;
        }
        double backfillS = (System.nanoTime() - b0) / 1e9;
        System.out.printf(Locale.ROOT, "backfill: %d of %d records in %d poll(s), %.1f s%n", delivered.get(), n, backfillPolls, backfillS);
        if (delivered.get() < n) {
            System.out.println("IDLE-RESULT {\"status\":\"backfill incomplete: " + delivered.get() + "/" + n + "\"}");
            context.stop();
            System.exit(2);
        }
        long before = delivered.get();
        Object statsBefore = stats(consumer);

        // mailbridge: one untimed idle poll first (JIT, connection state). The baseline's idle poll re-reads the
        // whole folder, so its backfill poll already warmed the same code path; no extra untimed poll for it.
        if (mode.equals("mailbridge")) {
            poll.invoke(consumer);
        }
        double[] ms = new double[k];
        int done = 0;
        long start = System.nanoTime();
        for (; done < k; done++) {
            long t = System.nanoTime();
            poll.invoke(consumer);
            ms[done] = (System.nanoTime() - t) / 1e6;
            if ((System.nanoTime() - start) / 1e9 > maxSeconds && done >= 0) {
                done++;
                break;
            }
        }
        double[] got = Arrays.copyOf(ms, done);
        Arrays.sort(got);
        double mean = Arrays.stream(got).average().orElse(Double.NaN);
        double median = got.length % 2 == 1 ? got[got.length / 2] : (got[got.length / 2 - 1] + got[got.length / 2]) / 2;
        String note = "";
        if (delivered.get() != before) {
            note = "WARNING: " + (delivered.get() - before) + " records delivered during idle polls";
        }
        Object statsAfter = stats(consumer);
        if (statsAfter != null) {
            note += (note.isEmpty() ? "" : "; ") + "stats before " + statsBefore + " / after " + statsAfter;
        }
        System.out.printf(Locale.ROOT,
                "IDLE-RESULT {\"status\":\"ok\",\"mode\":\"%s\",\"n\":%d,\"polls\":%d,\"median_ms\":%.3f,\"mean_ms\":%.3f,"
                        + "\"min_ms\":%.3f,\"max_ms\":%.3f,\"backfill_s\":%.2f,\"note\":\"%s\"}%n",
                mode, n, got.length, median, mean, got[0], got[got.length - 1], backfillS, note.replace("\"", "'"));
        System.out.flush();
        context.stop();
        System.exit(0);
    }

    /** mailbridge's ImapUidConsumer#statistics(), when the consumer has it. */
    private static Object stats(Consumer consumer) {
        try {
            return consumer.getClass().getMethod("statistics").invoke(consumer).toString();
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
