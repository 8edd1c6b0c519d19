package io.mailbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * For the Kafka row of bench/run.sh.
 *
 * <ul>
 * <li>{@code count BOOTSTRAP TOPIC DIR}: creates the topic (the broker's default partitions), then polls the topic's end offsets (the high watermark: records the
 * broker has acknowledged to an {@code acks=all} producer) every 50 ms and writes one empty
 * {@code r<i>.json} file per new record, so benchtool's measure counts Kafka records as it counts a file
 * sink's, with the file's mtime as the moment the broker had it. Reading the records back instead would
 * move 550 MB through a consumer on the same two cores and charge that to the sink.</li>
 * <li>{@code keys BOOTSTRAP TOPIC N}: afterwards, untimed, reads every key and prints how many distinct
 * keys and duplicates the topic holds.</li>
 * </ul>
 */
public final class KafkaCount {

    private KafkaCount() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("count")) {
            count(args[1], args[2], Files.createDirectories(Path.of(args[3])));
        } else if (args.length == 4 && args[0].equals("keys")) {
            keys(args[1], args[2], Integer.parseInt(args[3]));
        } else {
            System.err.println("usage: KafkaCount count BOOTSTRAP TOPIC DIR | keys BOOTSTRAP TOPIC N");
            System.exit(2);
        }
    }

    private static void count(String bootstrap, String topic, Path dir) throws Exception {
        // created up front, as a production topic is: auto-creation would make the first send wait for it
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, ByteArrayDeserializer.class)) {
            while (partitions(consumer, topic).isEmpty()) {
                Thread.sleep(50);
            }
            System.out.println("BENCH-COUNTING " + topic);
            long written = 0;
            List<TopicPartition> partitions = List.of();
            while (true) {
                if (partitions.isEmpty()) {
                    partitions = partitions(consumer, topic); // auto-created by the first send
                }
                long acked = partitions.isEmpty() ? 0
                        : consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
                for (; written < acked; written++) {
                    Files.createFile(dir.resolve("r" + written + ".json"));
                }
                Thread.sleep(50);
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(5));
        List<PartitionInfo> infos = topics.get(topic);
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static void keys(String bootstrap, String topic, int expected) {
        Set<String> keys = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, StringDeserializer.class)) {
            consumer.subscribe(List.of(topic));
            long idleSince = System.nanoTime();
            while (System.nanoTime() - idleSince < Duration.ofSeconds(10).toNanos()) {
                var batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : batch) {
                    keys.add(r.key());
                    records++;
                }
                if (!batch.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                if (keys.size() >= expected && batch.isEmpty()) {
                    break;
                }
            }
        }
        System.out.printf("topic %s: %d records, %d distinct keys (%d expected), %d duplicates%n",
                topic, records, keys.size(), expected, records - keys.size());
    }

    private static <K> KafkaConsumer<K, byte[]> consumer(String bootstrap, Class<?> keyDeserializer) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-count-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, keyDeserializer.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
