package io.mailbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * For the Kafka row of bench/run.sh: reads the sink topic from the start and writes one empty
 * {@code <key>.json} file per distinct record key into a directory, so benchtool's measure counts
 * Kafka records exactly as it counts a file sink's (its mtime is when the record was readable).
 *
 * <p>Usage: KafkaCount BOOTSTRAP TOPIC DIR
 */
public final class KafkaCount {

    private KafkaCount() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[2]));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-count-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // the values are not read: bytes, not decoded, to keep this reader's share of the CPU small
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(args[1]));
            System.out.println("BENCH-COUNTING " + args[1]);
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Path marker = dir.resolve(r.key().replace('/', '_') + ".json");
                    if (!Files.exists(marker)) {
                        Files.createFile(marker);
                    }
                }
            }
        }
    }
}
