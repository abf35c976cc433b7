import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Topics for the bench, and producing to many topics at once, which ProducerPerformance (one topic) cannot do.
 *
 * <p>Run by bench/run with kafka-lib on the class path. TOPICS is one topic's name, or {@code PREFIX*N} for the N
 * topics PREFIX-0 to PREFIX-(N-1):
 * <ul>
 * <li>{@code TopicsPerformance create BOOTSTRAP REPLICATION MIN_ISR TIMEOUT_S TOPICS:PARTITIONS... [KEY=VALUE...]}
 * creates the topics (existing ones are kept) with min.insync.replicas and the topic configs given, waits until every
 * partition has a leader and REPLICATION in-sync replicas, then a second per hundred partitions (at most 30) for the
 * leaders to settle.
 * <li>{@code TopicsPerformance produce BOOTSTRAP TOPICS RECORDS RECORD_SIZE [KEY=VALUE...]} sends RECORDS records of
 * RECORD_SIZE random bytes round-robin over the topics, as fast as the producer takes them (the properties apply on
 * top of acks=all), and prints {@code topics-produce: N records, X records/sec, Y MB/sec, E errors}; exits 1 when a
 * send failed.
 * </ul>
 */
public class TopicsPerformance {

    public static void main(String[] args) throws Exception {
        if (args.length >= 6 && args[0].equals("create")) {
            Map<String, Integer> partitions = new LinkedHashMap<>();
            Map<String, String> configs = new LinkedHashMap<>();
            configs.put("min.insync.replicas", args[3]);
            for (String spec : List.of(args).subList(5, args.length)) {
                int eq = spec.indexOf('=');
                if (eq > 0) {
                    configs.put(spec.substring(0, eq), spec.substring(eq + 1));
                    continue;
                }
                int colon = spec.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("not TOPICS:PARTITIONS: " + spec);
                }
                int count = Integer.parseInt(spec.substring(colon + 1));
                names(spec.substring(0, colon)).forEach(name -> partitions.put(name, count));
            }
            create(args[1], partitions, Short.parseShort(args[2]), configs, Integer.parseInt(args[4]));
        } else if (args.length >= 5 && args[0].equals("produce")) {
            produce(args[1], names(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    List.of(args).subList(5, args.length));
        } else {
            System.err.println("usage: TopicsPerformance create BOOTSTRAP REPLICATION MIN_ISR TIMEOUT_S TOPICS:PARTITIONS... [KEY=VALUE...]");
            System.err.println("       TopicsPerformance produce BOOTSTRAP TOPICS RECORDS RECORD_SIZE [KEY=VALUE...]");
            System.err.println("TOPICS is a topic's name or PREFIX*N for PREFIX-0 to PREFIX-(N-1)");
            System.exit(2);
        }
    }

    private static List<String> names(String topics) {
        int star = topics.lastIndexOf('*');
        if (star < 0) {
            return List.of(topics);
        }
        String prefix = topics.substring(0, star);
        int count = Integer.parseInt(topics.substring(star + 1));
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + "-" + i);
        }
        return names;
    }

    private static void create(String bootstrap, Map<String, Integer> partitions, short replication,
            Map<String, String> configs, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> names = List.copyOf(partitions.keySet());
        try (Admin admin = Admin.create(ClientConfig.base(bootstrap))) {
            List<NewTopic> wanted = names.stream()
                    .map(n -> new NewTopic(n, partitions.get(n), replication)
                            .configs(configs))
                    .toList();
            // In slices, so that neither side sees one request for a thousand topics.
            for (int i = 0; i < wanted.size(); i += 100) {
                for (var result : admin.createTopics(wanted.subList(i, Math.min(wanted.size(), i + 100))).values()
                        .values()) {
                    try {
                        result.get(timeoutSeconds, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            while (!inSync(admin, names, partitions, replication)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(names.size() + " topics (" + names.get(0)
                            + "…) did not get leaders and full in-sync replica sets within " + timeoutSeconds + " s");
                }
                Thread.sleep(1000);
            }
        }
        // The metadata answering describeTopics can be ahead of the leaders themselves: right after a thousand
        // partitions were created, Kafka's idempotent producer met NOT_LEADER_OR_FOLLOWER and then
        // OUT_OF_ORDER_SEQUENCE_NUMBER until its sends expired. A second per hundred partitions lets them settle.
        int total = partitions.values().stream().mapToInt(Integer::intValue).sum();
        long settleSeconds = Math.min(30, total / 100);
        Thread.sleep(TimeUnit.SECONDS.toMillis(settleSeconds));
        System.out.printf(Locale.ROOT,
                "created %d topics (%s…), %d partitions in all, replication %d, in sync, then %d s to settle%n",
                names.size(), names.get(0), total, replication, settleSeconds);
    }

    private static boolean inSync(Admin admin, List<String> names, Map<String, Integer> partitions, int replication) {
        try {
            for (int i = 0; i < names.size(); i += 100) {
                Set<String> slice = Set.copyOf(names.subList(i, Math.min(names.size(), i + 100)));
                for (TopicDescription topic : admin.describeTopics(slice).allTopicNames().get(30, TimeUnit.SECONDS)
                        .values()) {
                    if (topic.partitions().size() != partitions.get(topic.name())) {
                        return false;
                    }
                    for (TopicPartitionInfo p : topic.partitions()) {
                        if (p.leader() == null || p.leader().id() < 0 || p.isr().size() < replication) {
                            return false;
                        }
                    }
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void produce(String bootstrap, List<String> names, long records, int recordSize, List<String> extra)
            throws Exception {
        Properties props = ClientConfig.base(bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        for (String property : extra) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not KEY=VALUE: " + property);
            }
            props.put(property.substring(0, eq), property.substring(eq + 1));
        }
        int topics = names.size();
        byte[] value = new byte[recordSize];
        new Random(42).nextBytes(value);
        AtomicLong errors = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        long start;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            // Metadata for every topic first, so the timed part is the sending.
            names.forEach(producer::partitionsFor);
            start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(names.get((int) (i % topics)), value), (metadata, failure) -> {
                    if (failure != null && errors.getAndIncrement() == 0) {
                        firstError.set(failure);
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "topics-produce: %d records, %.1f records/sec, %.2f MB/sec, %d errors%n", records,
                records / seconds, records * (double) recordSize / seconds / (1024 * 1024), errors.get());
        if (errors.get() > 0) {
            System.err.println(errors.get() + " sends failed, e.g. " + firstError.get());
            System.exit(1);
        }
    }
}
