import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with a consumer that assigns itself every partition (no consumer group, no
 * commits), so it measures the fetch path alone and needs nothing but Metadata, ListOffsets and Fetch.
 *
 * <p>Run by bench/run through Java's source launcher: {@code java -cp 'target/kafka-lib/*' tools/FetchPerformance.java
 * BOOTSTRAP TOPIC RECORDS [TIMEOUT_MS]}. Prints one summary line:
 * {@code fetch: N records, X records/sec, Y MB/sec, T ms, first record after F ms}.
 */
public class FetchPerformance {

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: FetchPerformance BOOTSTRAP TOPIC RECORDS [TIMEOUT_MS]");
            System.exit(2);
        }
        String bootstrap = args[0];
        String topic = args[1];
        long wanted = Long.parseLong(args[2]);
        long idleTimeoutMs = args.length > 3 ? Long.parseLong(args[3]) : 30_000;

        Properties props = ClientConfig.base(bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            long records = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long firstRecord = -1;
            long lastProgress = start;
            while (records < wanted && System.nanoTime() - lastProgress < idleTimeoutMs * 1_000_000L) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                lastProgress = System.nanoTime();
                if (firstRecord < 0) {
                    firstRecord = lastProgress;
                }
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    records++;
                    bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                }
            }
            long end = System.nanoTime();
            double seconds = (end - start) / 1e9;
            System.out.printf(Locale.ROOT, "fetch: %d records, %.1f records/sec, %.2f MB/sec, %d ms, first record after %d ms%n",
                    records, records / seconds, bytes / seconds / (1024 * 1024), (end - start) / 1_000_000,
                    firstRecord < 0 ? -1 : (firstRecord - start) / 1_000_000);
            if (records < wanted) {
                System.err.printf(Locale.ROOT, "only %d of %d records arrived before %d ms without progress%n",
                        records, wanted, idleTimeoutMs);
                System.exit(1);
            }
        }
    }
}
