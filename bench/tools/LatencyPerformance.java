import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * End-to-end latency at a fixed rate, well below saturation: a producer and a consumer in one JVM, each value
 * starting with its sequence number and its send time ({@code System.nanoTime()}), so no clocks are compared.
 *
 * <p>Run by bench/run through Java's source launcher, with kafka-lib on the class path:
 * {@code LatencyPerformance BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS RECORD_SIZE}. The consumer assigns itself
 * every partition at their ends, then the producer (acks=all, linger.ms=0) writes RATE records/s; the first
 * WARMUP_SECONDS are not counted. Prints one line:
 * {@code latency: N records, p50 A ms, p99 B ms, p99.9 C ms, max D ms, received M of N sent, E failed sends} and exits
 * 1 when a send failed or a measured record did not arrive within 10 s of the last send.
 */
public class LatencyPerformance {

    private static final int HEADER = 2 * Long.BYTES;

    /** Set once the producer is done and the stragglers had their time: the consumer stops. */
    private static volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LatencyPerformance BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS RECORD_SIZE");
            System.exit(2);
        }
        String bootstrap = args[0];
        String topic = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmupSeconds = Integer.parseInt(args[4]);
        int recordSize = Integer.parseInt(args[5]);
        if (rate <= 0 || seconds <= 0 || warmupSeconds < 0 || recordSize < HEADER) {
            throw new IllegalArgumentException("rate and seconds must be positive, the record size at least " + HEADER);
        }
        long warmupRecords = (long) rate * warmupSeconds;
        long measuredRecords = (long) rate * seconds;
        long total = warmupRecords + measuredRecords;
        long[] delays = new long[Math.toIntExact(measuredRecords)];
        AtomicLong received = new AtomicLong();
        AtomicReference<Exception> consumerFailure = new AtomicReference<>();
        AtomicLong failedSends = new AtomicLong();
        AtomicReference<Exception> firstSendFailure = new AtomicReference<>();

        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap));
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, so no record written from here on is skipped.
        partitions.forEach(consumer::position);

        Thread reader = new Thread(() -> {
            try {
                while (!stopping) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        ByteBuffer value = ByteBuffer.wrap(record.value());
                        long index = value.getLong() - warmupRecords;
                        long sentAt = value.getLong();
                        if (index >= 0 && index < measuredRecords) {
                            delays[(int) index] = Math.max(1, now - sentAt);
                            received.incrementAndGet();
                        }
                    }
                }
            } catch (RuntimeException e) {
                consumerFailure.set(e);
            } finally {
                consumer.close();
            }
        }, "latency-consumer");
        reader.start();

        byte[] padding = new byte[recordSize - HEADER];
        new Random(42).nextBytes(padding);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            producer.partitionsFor(topic);
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (long i = 0; i < total && consumerFailure.get() == null; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                ByteBuffer value = ByteBuffer.allocate(recordSize);
                value.putLong(i).putLong(System.nanoTime()).put(padding);
                producer.send(new ProducerRecord<>(topic, value.array()), (metadata, failure) -> {
                    if (failure != null && failedSends.getAndIncrement() == 0) {
                        firstSendFailure.set(failure);
                    }
                });
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < measuredRecords && consumerFailure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stopping = true;
        reader.join(TimeUnit.SECONDS.toMillis(30));

        long[] arrived = Arrays.stream(delays).filter(d -> d > 0).sorted().toArray();
        if (arrived.length > 0) {
            System.out.printf(Locale.ROOT,
                    "latency: %d records, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, received %d of %d sent, "
                            + "%d failed sends%n",
                    arrived.length, millis(percentile(arrived, 50)), millis(percentile(arrived, 99)),
                    millis(percentile(arrived, 99.9)), millis(arrived[arrived.length - 1]), arrived.length,
                    measuredRecords, failedSends.get());
        }
        boolean failed = false;
        if (consumerFailure.get() != null) {
            System.err.println("consumer failed: " + consumerFailure.get());
            failed = true;
        }
        if (failedSends.get() > 0) {
            System.err.println(failedSends.get() + " sends failed, e.g. " + firstSendFailure.get());
            failed = true;
        }
        if (arrived.length < measuredRecords) {
            System.err.printf(Locale.ROOT, "only %d of %d measured records arrived%n", arrived.length, measuredRecords);
            failed = true;
        }
        System.exit(failed ? 1 : 0);
    }

    private static Properties producerProperties(String bootstrap) {
        Properties props = ClientConfig.base(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Kafka 4's default of 5 ms would be part of every figure; this measures the systems, not the batching.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static Properties consumerProperties(String bootstrap) {
        Properties props = ClientConfig.base(bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
