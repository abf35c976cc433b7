import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Keyed records for the compaction suite: many versions of few keys at a fixed rate, and reading a topic back to see
 * what compaction left of it.
 *
 * <p>Run by bench/run with kafka-lib on the class path. Record i has the key {@code k%07d} of i mod KEYS (8 bytes)
 * and a value of RECORD_SIZE bytes that starts with i, so the newest version of key k is the last i sent with
 * i mod KEYS = k.
 * <ul>
 * <li>{@code CompactionPerformance produce BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS KEYS RECORD_SIZE} sends RATE
 * records/s for WARMUP_SECONDS + SECONDS (acks=all, linger.ms=0, as LatencyPerformance) and prints
 * {@code compaction-produce: N records over K keys, R records/sec, measured M: p50 A ms, p99 B ms, p99.9 C ms, max D ms,
 * E failed sends}, the latencies (send to acknowledgement) of the records sent after the warm-up; exits 1 when a send
 * failed.
 * <li>{@code CompactionPerformance read BOOTSTRAP TOPIC KEYS RECORDS} reads every partition from its start to the end
 * it had when the tool started (RECORDS is how many {@code produce} sent) and prints
 * {@code compaction-read: N records, B bytes, D of K keys, L newest versions missing, S stale versions}: S counts the
 * records older than their key's newest, which compaction had not removed (yet). Exits 1 when the newest version of a
 * key is missing or the end is not reached within 120 s.
 * </ul>
 */
public class CompactionPerformance {

    public static void main(String[] args) throws Exception {
        if (args.length == 8 && args[0].equals("produce")) {
            produce(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        } else if (args.length == 5 && args[0].equals("read")) {
            read(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
        } else {
            System.err.println("usage: CompactionPerformance produce BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS KEYS RECORD_SIZE");
            System.err.println("       CompactionPerformance read BOOTSTRAP TOPIC KEYS RECORDS");
            System.exit(2);
        }
    }

    private static byte[] key(long i, int keys) {
        return String.format(Locale.ROOT, "k%07d", i % keys).getBytes(StandardCharsets.US_ASCII);
    }

    private static void produce(String bootstrap, String topic, int rate, int seconds, int warmupSeconds, int keys,
            int recordSize) throws Exception {
        if (rate <= 0 || seconds <= 0 || warmupSeconds < 0 || keys <= 0 || keys > 10_000_000
                || recordSize < Long.BYTES) {
            throw new IllegalArgumentException("rate, seconds and keys (at most 10,000,000) must be positive, the "
                    + "record size at least " + Long.BYTES);
        }
        long warmupRecords = (long) rate * warmupSeconds;
        long measuredRecords = (long) rate * seconds;
        long total = warmupRecords + measuredRecords;
        long[] delays = new long[Math.toIntExact(measuredRecords)];
        AtomicLong failedSends = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        byte[] padding = new byte[recordSize - Long.BYTES];
        new Random(42).nextBytes(padding);

        Properties props = ClientConfig.base(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // As LatencyPerformance: the figures are the systems', not the producer's wait for a batch to fill.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long start;
        long end;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor(topic);
            long interval = 1_000_000_000L / rate;
            start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                ByteBuffer value = ByteBuffer.allocate(recordSize);
                value.putLong(i).put(padding);
                long index = i - warmupRecords;
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, key(i, keys), value.array()), (metadata, failure) -> {
                    if (failure != null) {
                        if (failedSends.getAndIncrement() == 0) {
                            firstFailure.set(failure);
                        }
                    } else if (index >= 0) {
                        delays[(int) index] = Math.max(1, System.nanoTime() - sentAt);
                    }
                });
            }
            producer.flush();
            end = System.nanoTime();
        }
        long[] acknowledged = Arrays.stream(delays).filter(d -> d > 0).sorted().toArray();
        if (acknowledged.length > 0) {
            System.out.printf(Locale.ROOT,
                    "compaction-produce: %d records over %d keys, %.1f records/sec, measured %d: p50 %.2f ms, "
                            + "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, %d failed sends%n",
                    total, keys, total / ((end - start) / 1e9), acknowledged.length,
                    millis(percentile(acknowledged, 50)), millis(percentile(acknowledged, 99)),
                    millis(percentile(acknowledged, 99.9)), millis(acknowledged[acknowledged.length - 1]),
                    failedSends.get());
        }
        if (failedSends.get() > 0) {
            System.err.println(failedSends.get() + " sends failed, e.g. " + firstFailure.get());
            System.exit(1);
        }
    }

    private static void read(String bootstrap, String topic, int keys, long records) throws Exception {
        Properties props = ClientConfig.base(bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long[] newest = new long[keys];
        Arrays.fill(newest, -1);
        long count = 0;
        long bytes = 0;
        long stale = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    System.err.printf(Locale.ROOT, "did not reach the end of %s within 120 s: %d records read%n",
                            topic, count);
                    System.exit(1);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= ends.get(new TopicPartition(topic, record.partition()))) {
                        continue;
                    }
                    count++;
                    bytes += record.serializedKeySize() + record.serializedValueSize();
                    int key = Integer.parseInt(new String(record.key(), 1, record.key().length - 1,
                            StandardCharsets.US_ASCII));
                    long sequence = ByteBuffer.wrap(record.value()).getLong();
                    if (newest[key] >= 0) {
                        stale++;
                    }
                    newest[key] = Math.max(newest[key], sequence);
                }
            }
        }
        long present = Arrays.stream(newest).filter(s -> s >= 0).count();
        long missing = 0;
        for (int k = 0; k < keys && k < records; k++) {
            long last = records - 1 - Math.floorMod(records - 1 - k, (long) keys);
            if (newest[k] != last) {
                missing++;
            }
        }
        System.out.printf(Locale.ROOT,
                "compaction-read: %d records, %d bytes, %d of %d keys, %d newest versions missing, %d stale versions%n",
                count, bytes, present, keys, missing, stale);
        if (missing > 0) {
            System.err.println(missing + " keys lack their newest version (the last one sent)");
            System.exit(1);
        }
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
