package io.mailbridge.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.Flags;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * The baseline: IMAP to JSON files with plain camel-mail, the way a typical user writes it. Every
 * poll lists the whole folder (unseen=false) and an in-memory idempotent consumer on Message-ID
 * drops what was already written.
 *
 * <pre>java -Xmx256m -cp ... io.mailbridge.bench.BaselineCamelMail PORT OUT_DIR N [IDLE_SECONDS]</pre>
 *
 * Stops when N records were written (or after IDLE_SECONDS without a new record) and prints its timing.
 */
public final class BaselineCamelMail {

    private BaselineCamelMail() {
    }

    /** The camel-mail endpoint URI; delay/initialDelay are parameters so the idle-poll harness can drive polls itself. */
    static String imapUri(int port, long delayMs, long initialDelayMs) {
        return "imap://127.0.0.1:" + port + "?username=alice&password=secret"
                + "&unseen=false&peek=true&delete=false&maxMessagesPerPoll=0"
                + "&delay=" + delayMs + "&initialDelay=" + initialDelayMs;
    }

    /** from(imap) -> idempotent on Message-ID -> Map -> JSON (Jackson) -> one file per message. */
    static RouteBuilder route(String imapUri, String outDir, AtomicLong written) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(imapUri).routeId("baseline")
                        .idempotentConsumer(header("Message-ID"),
                                MemoryIdempotentRepository.memoryIdempotentRepository(200_000))
                        .process(BaselineCamelMail::toMap)
                        .marshal().json()
                        .to("file:" + outDir + "?fileName=${exchangeId}.json")
                        .process(e -> written.incrementAndGet());
            }
        };
    }

    static void toMap(Exchange exchange) throws Exception {
        var in = exchange.getMessage();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", in.getHeader("Message-ID", String.class));
        record.put("subject", in.getHeader("Subject", String.class));
        record.put("from", in.getHeader("From", String.class));
        record.put("to", in.getHeader("To", String.class));
        record.put("date", in.getHeader("Date", String.class));
        if (in instanceof MailMessage mm && mm.getOriginalMessage() != null) {
            List<String> flags = new ArrayList<>();
            Flags f = mm.getOriginalMessage().getFlags();
            for (Flags.Flag sf : f.getSystemFlags()) {
                flags.add(sf == Flags.Flag.SEEN ? "\\Seen" : sf == Flags.Flag.FLAGGED ? "\\Flagged"
                        : sf == Flags.Flag.ANSWERED ? "\\Answered" : sf == Flags.Flag.DELETED ? "\\Deleted"
                        : sf == Flags.Flag.DRAFT ? "\\Draft" : "\\Recent");
            }
            flags.addAll(List.of(f.getUserFlags()));
            record.put("flags", flags);
        }
        List<String> attachments = new ArrayList<>();
        if (in instanceof AttachmentMessage am && am.hasAttachments()) {
            attachments.addAll(am.getAttachmentNames());
        }
        record.put("attachments", attachments);
        record.put("text", in.getBody(String.class));
        in.setBody(record);
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String out = args[1];
        long n = Long.parseLong(args[2]);
        long idleSeconds = args.length > 3 ? Long.parseLong(args[3]) : 600;
        AtomicLong written = new AtomicLong();
        CamelContext context = new DefaultCamelContext();
        // same first-poll delay as mailbridge's default (mail.imap.initial-delay=0s); poll every second as in the brief
        context.addRoutes(route(imapUri(port, 1000, 0), out, written));
        long t0 = System.nanoTime();
        context.start();
        long started = System.nanoTime();
        System.out.println("BENCH-STARTED context started in " + (started - t0) / 1_000_000 + " ms");
        long last = -1;
        long lastChange = System.nanoTime();
        while (written.get() < n) {
            Thread.sleep(20);
            long w = written.get();
            if (w != last) {
                last = w;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > idleSeconds * 1_000_000_000L) {
                break;
            }
        }
        long done = System.nanoTime();
        double s = (done - started) / 1e9;
        System.out.printf("BENCH-DONE baseline records=%d of %d in %.2f s after context start (%.0f msg/s)%n",
                written.get(), n, s, written.get() / s);
        System.out.flush();
        context.stop();
        System.exit(written.get() >= n ? 0 : 2);
    }
}
