import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The HTTP API's two speed figures, measured with real clients (JDK HttpClient; kafka-clients for the SSE writer).
 *
 * <p>Run by bench/run --http through Java's source launcher, with kafka-lib on the class path:
 * <ul>
 * <li>{@code HttpPerformance produce BASE_URL TOPIC RECORDS RECORD_SIZE BATCH IN_FLIGHT WARMUP_RECORDS} posts
 * batches of BATCH binary records ({@code application/vnd.kafka.binary.v2+json}) to {@code POST /topics/TOPIC} from
 * IN_FLIGHT threads, each on its own keep-alive connection; WARMUP_RECORDS go first and are not counted. Prints
 * {@code http-produce: N records, X records/sec, Y MB/sec, R requests, p50 A ms, p99 B ms, max C ms, E errors}.
 * <li>{@code HttpPerformance sse BASE_URL BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS RECORD_SIZE} follows
 * {@code GET /topics/TOPIC/stream?from=latest&format=text} while a kafka-clients producer (acks=all, linger.ms=0) writes
 * RATE records/s, each value starting with its send time; the first WARMUP_SECONDS are not counted. Prints
 * {@code sse: N records, p50 A ms, p99 B ms, max C ms, received M of N sent; produce ack p50 D ms, p99 E ms; after the
 * ack p50 F ms, p99 G ms}: how long the writes themselves took until acknowledged, and how long after its
 * acknowledgement each record arrived (the stream's own part of the delivery).
 * <li>{@code HttpPerformance consume BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS RECORD_SIZE} measures the same
 * delivery with a kafka-clients consumer (every partition assigned, from their ends) in place of the SSE stream: the
 * Kafka protocol's own delivery, on Sluice or on Apache Kafka. Prints the same line, starting {@code consume:}.
 * </ul>
 * Send and receive times come from the same JVM's {@code System.nanoTime()}, so no clocks are compared.
 */
public class HttpPerformance {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public static void main(String[] args) throws Exception {
        if (args.length == 8 && args[0].equals("produce")) {
            produce(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Long.parseLong(args[7]));
        } else if (args.length == 8 && args[0].equals("sse")) {
            delivery("sse", sseReader(args[1], args[3]), args[2], args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        } else if (args.length == 7 && args[0].equals("consume")) {
            delivery("consume", consumerReader(args[1], args[2]), args[1], args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        } else {
            System.err.println("usage: HttpPerformance produce BASE_URL TOPIC RECORDS RECORD_SIZE BATCH IN_FLIGHT WARMUP_RECORDS");
            System.err.println("       HttpPerformance sse BASE_URL BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS RECORD_SIZE");
            System.err.println("       HttpPerformance consume BOOTSTRAP TOPIC RATE SECONDS WARMUP_SECONDS RECORD_SIZE");
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Batch produce

    private static void produce(String baseUrl, String topic, long records, int recordSize, int batch, int inFlight,
            long warmupRecords) throws Exception {
        if (records <= 0 || recordSize <= 0 || batch <= 0 || inFlight <= 0 || warmupRecords < 0) {
            throw new IllegalArgumentException("counts and sizes must be positive");
        }
        URI uri = URI.create(baseUrl + "/topics/" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
        byte[] body = batchBody(recordSize, batch);
        if (warmupRecords > 0) {
            Run warmup = producePhase(uri, body, requestsFor(warmupRecords, batch), inFlight);
            System.err.printf(Locale.ROOT, "warm-up: %d records in %.1f s, %d errors%n", warmupRecords,
                    warmup.seconds(), warmup.errors.get());
        }
        long requests = requestsFor(records, batch);
        Run run = producePhase(uri, body, requests, inFlight);
        long sent = requests * batch;
        long[] latencies = run.latencies();
        System.out.printf(Locale.ROOT,
                "http-produce: %d records, %.1f records/sec, %.2f MB/sec, %d requests, p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms, %d errors%n",
                sent, sent / run.seconds(), sent * (double) recordSize / run.seconds() / (1024 * 1024), requests,
                millis(percentile(latencies, 50)), millis(percentile(latencies, 99)),
                millis(latencies[latencies.length - 1]), run.errors.get());
    }

    private static long requestsFor(long records, int batch) {
        return (records + batch - 1) / batch;
    }

    /** The JSON body of one request: BATCH records whose values are random bytes, base64 as the format wants. */
    private static byte[] batchBody(int recordSize, int batch) {
        Random random = new Random(42);
        StringBuilder json = new StringBuilder("{\"records\":[");
        byte[] value = new byte[recordSize];
        for (int i = 0; i < batch; i++) {
            random.nextBytes(value);
            json.append(i == 0 ? "" : ",").append("{\"value\":\"").append(Base64.getEncoder().encodeToString(value))
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Figures of one phase: every request's latency in ns, the requests that failed, the wall time. */
    private record Run(ConcurrentLinkedQueue<long[]> perThread, AtomicLong errors, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        long[] latencies() {
            long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return all.length == 0 ? new long[] { 0 } : all;
        }
    }

    private static Run producePhase(URI uri, byte[] body, long requests, int inFlight) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<long[]> perThread = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(inFlight);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/vnd.kafka.binary.v2+json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long start = System.nanoTime();
        for (int t = 0; t < inFlight; t++) {
            new Thread(() -> {
                long[] latencies = new long[(int) (requests / inFlight + 1)];
                int n = 0;
                try {
                    while (next.getAndIncrement() < requests) {
                        long sent = System.nanoTime();
                        if (!accepted(request)) {
                            errors.incrementAndGet();
                        }
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = System.nanoTime() - sent;
                    }
                } finally {
                    perThread.add(Arrays.copyOf(latencies, n));
                    done.countDown();
                }
            }, "http-produce-" + t).start();
        }
        done.await();
        return new Run(perThread, errors, System.nanoTime() - start);
    }

    /** Whether every record of the batch was stored: a 200 whose per-record outcomes carry no error. */
    private static boolean accepted(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("error_code")) {
                System.err.println("produce failed: " + response.statusCode() + " " + abbreviated(response.body()));
                return false;
            }
            return true;
        } catch (IOException e) {
            System.err.println("produce failed: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SSE delivery latency

    /** A reader of the topic from its end: calls {@code delivered} with each record's value and its arrival time. */
    private interface Reader {
        /** Starts reading on a daemon thread; returns once reading from the end has begun. */
        void start(Delivered delivered) throws Exception;
    }

    private interface Delivered {
        void arrived(String value, long nanoTime);
    }

    /** {@code GET /topics/TOPIC/stream?from=latest&format=text}, read by JDK HttpClient. */
    private static Reader sseReader(String baseUrl, String topic) {
        URI uri = URI.create(baseUrl + "/topics/" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                + "/stream?from=latest&format=text");
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build();
        return delivered -> {
            CountDownLatch streaming = new CountDownLatch(1);
            daemon("sse-reader", () -> {
                HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IOException("stream answered " + response.statusCode());
                }
                streaming.countDown();
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            delivered.arrived(textValue(line), System.nanoTime());
                        }
                    }
                }
            });
            if (!streaming.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the stream did not answer within 30 s");
            }
            // The stream answers before it has looked up where "latest" is; the warm-up records cover that time.
        };
    }

    /** A kafka-clients consumer with every partition assigned, from their ends: the Kafka protocol's delivery. */
    private static Reader consumerReader(String bootstrap, String topic) {
        return delivered -> {
            CountDownLatch reading = new CountDownLatch(1);
            daemon("consumer", () -> {
                Properties props = new Properties();
                props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                    reading.countDown();
                    while (true) {
                        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                        long now = System.nanoTime();
                        records.forEach(r -> delivered.arrived(r.value(), now));
                    }
                }
            });
            if (!reading.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the consumer found no positions within 30 s");
            }
        };
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void daemon(String name, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println(name + " failed: " + e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Writes RATE records/s with a kafka-clients producer while the reader reads them, each value starting with its
     * sequence number and send time; prints the delivery latencies after the warm-up.
     */
    private static void delivery(String label, Reader reader, String bootstrap, String topic, int rate, int seconds,
            int warmupSeconds, int recordSize) throws Exception {
        if (rate <= 0 || seconds <= 0 || warmupSeconds < 0 || recordSize < 20) {
            throw new IllegalArgumentException("rate and seconds must be positive, the record size at least 20 bytes");
        }
        long warmupRecords = (long) rate * warmupSeconds;
        long measuredRecords = (long) rate * seconds;
        long[] delays = new long[(int) measuredRecords];
        long[] acks = new long[(int) measuredRecords];
        AtomicLong received = new AtomicLong();
        reader.start((value, now) -> {
            int bar = value == null ? -1 : value.indexOf('|');
            if (bar < 0) {
                return;
            }
            int separator = value.indexOf('|', bar + 1);
            long sequence = Long.parseLong(value.substring(0, bar));
            long sentAt = Long.parseLong(value.substring(bar + 1, separator));
            long index = sequence - warmupRecords;
            if (index >= 0 && index < measuredRecords) {
                delays[(int) index] = now - sentAt;
                received.incrementAndGet();
            }
        });

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        String padding = "x".repeat(recordSize);
        long total = warmupRecords + measuredRecords;
        List<Exception> failures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long sentAt = System.nanoTime();
                long index = i - warmupRecords;
                String prefix = i + "|" + sentAt + "|";
                String value = prefix + padding.substring(0, Math.max(0, recordSize - prefix.length()));
                producer.send(new ProducerRecord<>(topic, value), (metadata, failure) -> {
                    if (failure != null) {
                        synchronized (failures) {
                            failures.add(failure);
                        }
                    } else if (index >= 0) {
                        acks[(int) index] = System.nanoTime() - sentAt;
                    }
                });
            }
        }
        // Whatever has not arrived a few seconds after the last send counts as lost.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.get() < measuredRecords && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        long[] arrived = Arrays.stream(delays).filter(d -> d > 0).sorted().toArray();
        if (!failures.isEmpty()) {
            System.err.println(failures.size() + " sends failed, e.g. " + failures.get(0));
        }
        if (arrived.length == 0) {
            System.out.printf(Locale.ROOT, "%s: 0 records, received 0 of %d sent%n", label, measuredRecords);
            System.exit(1);
        }
        // The producer is closed, so every callback has run: how much of the delivery time the write itself took,
        // and how long after its acknowledgement each record was delivered (the reader's own part; it may be negative,
        // as one commit answers both).
        long[] acked = Arrays.stream(acks).filter(d -> d > 0).sorted().toArray();
        long[] afterAck = IntStream.range(0, delays.length)
                .filter(i -> delays[i] > 0 && acks[i] > 0).mapToLong(i -> delays[i] - acks[i]).sorted().toArray();
        System.out.printf(Locale.ROOT,
                "%s: %d records, p50 %.1f ms, p99 %.1f ms, max %.1f ms, received %d of %d sent; "
                        + "produce ack p50 %.1f ms, p99 %.1f ms; after the ack p50 %.1f ms, p99 %.1f ms%n",
                label, arrived.length, millis(percentile(arrived, 50)), millis(percentile(arrived, 99)),
                millis(arrived[arrived.length - 1]), arrived.length, measuredRecords,
                millis(percentile(orZero(acked), 50)), millis(percentile(orZero(acked), 99)),
                millis(percentile(orZero(afterAck), 50)), millis(percentile(orZero(afterAck), 99)));
        System.exit(0);
    }

    /** The {@code value} of an event's JSON, which the writer keeps free of anything JSON escapes. */
    private static String textValue(String dataLine) {
        int start = dataLine.indexOf("\"value\":\"");
        if (start < 0) {
            return null;
        }
        start += 9;
        int end = dataLine.indexOf('"', start);
        return end < 0 ? null : dataLine.substring(start, end);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long[] orZero(long[] sorted) {
        return sorted.length == 0 ? new long[] { 0 } : sorted;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
