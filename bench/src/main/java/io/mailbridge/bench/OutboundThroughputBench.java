package io.mailbridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Outbound throughput: N messages through mailbridge's {@code mailbridge-smtp} producer to a local
 * SMTP server (GreenMail on loopback, in this JVM), once with the connection reused across the burst
 * (the default) and once with one connection per message. Run by bench/outbound.sh.
 */
public final class OutboundThroughputBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int port = smtp.getSmtp().getPort();
        try {
            // warm-up of both paths, then the timed runs
            run(port, true, 300, smtp);
            run(port, false, 300, smtp);
            double reused = run(port, true, n, smtp);
            double perMessage = run(port, false, n, smtp);
            System.out.printf(Locale.ROOT, "outbound: %d messages of ~2 KB to a local SMTP server (GreenMail, loopback)%n", n);
            System.out.printf(Locale.ROOT, "reused connection:      %8.0f req/s%n", reused);
            System.out.printf(Locale.ROOT, "connection per message: %8.0f req/s%n", perMessage);
            System.out.printf(Locale.ROOT, "outbound: reused/per-message = %.2f%n", reused / perMessage);
        } finally {
            smtp.stop();
        }
    }

    private static double run(int port, boolean reuse, int n, GreenMail smtp) throws Exception {
        Session session = Session.getInstance(new Properties());
        List<MimeMessage> messages = new ArrayList<>(n);
        String body = "line of text for the outbound benchmark\n".repeat(50);
        for (int i = 0; i < n; i++) {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("bench@example.com"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt" + (i % 10) + "@example.com"));
            m.setSubject("outbound " + i, "UTF-8");
            m.setText(body, "UTF-8");
            messages.add(m);
        }
        smtp.purgeEmailFromAllMailboxes();
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").to("mailbridge-smtp:127.0.0.1:" + port + "?reuseConnection=" + reuse);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            long start = System.nanoTime();
            for (MimeMessage m : messages) {
                template.sendBody("direct:send", m);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int received = smtp.getReceivedMessages().length;
            if (received != n) {
                throw new IllegalStateException("server received " + received + " of " + n);
            }
            return n / seconds;
        }
    }
}
