// Record mapping cost in isolation: MessageRecordMapper + RecordJson over a Maildir corpus, in one
// thread, several passes (the first ones include JIT warm-up). Run from the project root:
//   python3 bench/benchtool.py gen --maildir /tmp/corpus --n 5000 --profile mixed --manifest /tmp/corpus.json
//   mvn -q -B package -DskipTests && java -cp target/mailbridge.jar bench/MapBench.java /tmp/corpus/cur 5000 [passes]
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.mailbridge.component.MailbridgeHeaders;
import io.mailbridge.record.MessageRecordMapper;
import io.mailbridge.record.RecordJson;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

public class MapBench {
    public static void main(String[] args) throws Exception {
        int limit = Integer.parseInt(args[1]);
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        List<byte[]> messages = new ArrayList<>();
        try (var files = Files.list(Path.of(args[0]))) {
            for (Path p : (Iterable<Path>) files.sorted().limit(limit)::iterator) {
                messages.add(Files.readAllBytes(p));
            }
        }
        long bytes = messages.stream().mapToLong(b -> b.length).sum();
        CamelContext context = new DefaultCamelContext();
        context.start();
        MessageRecordMapper mapper = new MessageRecordMapper();
        RecordJson json = new RecordJson();
        for (int pass = 0; pass < passes; pass++) {
            long t = System.nanoTime();
            long out = 0;
            long uid = 0;
            for (byte[] m : messages) {
                Exchange e = new DefaultExchange(context);
                e.getMessage().setBody(m);
                e.getMessage().setHeader(MailbridgeHeaders.KEY, "bench/INBOX/1/" + (++uid));
                e.getMessage().setHeader(MailbridgeHeaders.UID, uid);
                e.getMessage().setHeader(MailbridgeHeaders.FETCH, "full");
                mapper.process(e);
                json.process(e);
                out += e.getMessage().getBody(byte[].class).length;
            }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf("pass %d: %d messages, %.1f MB in, %.1f MB JSON out, %.2f s = %.0f msg/s, %.1f us/msg%n",
                    pass, messages.size(), bytes / 1e6, out / 1e6, s, messages.size() / s, s * 1e6 / messages.size());
        }
        context.stop();
    }
}
