package io.mailbridge.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.support.ExtremeMessages;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, point 1 (the part in record/): a spooled message is read in place from its file with no
 * buffer per MIME part, and reads exactly as the same bytes in memory.
 */
class SpooledMessageTest {

    @TempDir
    Path dir;

    private static MessageRecord map(Object body) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(MailbridgeHeaders.KEY, "a/INBOX/1/1");
        new MessageRecordMapper().process(exchange);
        return exchange.getMessage().getBody(MessageRecord.class);
    }

    @Test
    void aSpooledMessageIsTheSameRecordAsItsBytesInMemory() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17]; // reads of every size cross the 8 KiB buffer's edges
        new Random(23).nextBytes(big);
        String raw = "From: a@example.com\r\nSubject: spooled\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"s\"\r\n\r\n"
                + "--s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n"
                + "--s\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(big) + "\r\n"
                + "--s\r\nContent-Type: text/plain; name=\"notes.txt\"\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n"
                + "\r\nattached notes\r\n--s--\r\n";
        byte[] bytes = raw.getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("spooled.eml");
        Files.write(file, bytes);
        MessageRecord spooled = map(file.toFile());
        MessageRecord inMemory = map(bytes);
        assertEquals(inMemory, spooled);
        assertEquals("see attached", spooled.text());
        assertEquals(big.length, spooled.attachments().get(0).size());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big)),
                spooled.attachments().get(0).sha256());
    }

    /**
     * At {@code -Xmx256m}, in a child JVM (this JVM's heap is whatever surefire gives it): with 10 KiB of
     * buffers per part, 100,000 parts needed 1 GB and the mailbox retried the message for good.
     */
    @Test
    void oneHundredThousandSpooledPartsAreARecordIn256Mb() throws Exception {
        Path file = dir.resolve("parts.eml");
        Files.write(file, ExtremeMessages.manyParts(100_000));
        Path out = dir.resolve("child.out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
        List<String> lines = Files.readAllLines(out);
        assertEquals(0, child.exitValue(), String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        assertTrue(lines.contains("record: text=hello attachments=100000 last=f99999.bin warnings=[] error=null"),
                String.join("\n", lines));
    }

    /** Maps one spooled file and prints what the record holds. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            MessageRecord r = map(new File(args[0]));
            System.out.println("record: text=" + r.text() + " attachments=" + r.attachments().size() + " last="
                    + r.attachments().get(r.attachments().size() - 1).filename() + " warnings=" + r.warnings()
                    + " error=" + r.error());
        }
    }
}
