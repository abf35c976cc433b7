package io.sluice.systemtests;

import static io.sluice.systemtests.RawTransactions.plain;
import static io.sluice.systemtests.RawTransactions.produce;
import static io.sluice.systemtests.RawTransactions.produceOnce;
import static io.sluice.systemtests.RawTransactions.transactional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * Transactions across failures: an exactly-once copy job under a broker kill and a coordinator restart, tailed by a
 * read_committed consumer that must never have been shown what is later gone, and an open transaction across its
 * partition leader's death. The copy job goes first: it starts its broker again at the end, so
 * that the second test begins with every broker alive.
 */
@SluiceCluster(disruptive = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionFailoverIT {

    static TestCluster cluster;

    private final RawTransactions transactions = new RawTransactions(cluster);

    @Test
    @Order(1)
    void copyJobUnderABrokerKillAndACoordinatorRestartWritesEveryInputRecordExactlyOnce(Admin admin)
            throws Exception {
        String input = "eos-in";
        String output = "eos-out";
        admin.createTopics(List.of(new NewTopic(input, 3, (short) 3), new NewTopic(output, 3, (short) 3))).all()
                .get(30, TimeUnit.SECONDS);
        int total = 6_000;
        try (KafkaProducer<String, String> producer = cluster.clients().producer()) {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(input, "k" + i, Integer.toString(i)));
            }
        }
        AtomicInteger copied = new AtomicInteger();
        Thread job = new Thread(() -> copy(input, output, total, copied), "copy-job");
        CommittedTail tail = new CommittedTail(output, 3);
        job.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> copied.get() >= total / 3);
        cluster.kill("broker-2");
        int beforeRestart = copied.get();
        await().atMost(Duration.ofSeconds(120)).until(() -> copied.get() > beforeRestart + total / 6);
        cluster.stop("coordinator");
        cluster.start("coordinator");
        job.join(TimeUnit.MINUTES.toMillis(4));
        assertThat(job.isAlive()).as("copy job still running").isFalse();
        assertThat(copied.get()).isGreaterThanOrEqualTo(total);

        List<String> out = new ArrayList<>();
        List<List<String>> committed = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            committed.add(transactions.read(new TopicPartition(output, p), "read_committed"));
            out.addAll(committed.get(p));
        }
        // What a read_committed consumer was shown during the failures is still there, where it was shown.
        await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.range(0, 3)
                .allMatch(p -> tail.shown(p).size() >= committed.get(p).size()));
        tail.close();
        for (int p = 0; p < 3; p++) {
            assertThat(tail.shown(p)).as("partition %d as read_committed showed it during the failures", p)
                    .isEqualTo(committed.get(p));
        }
        Map<String, Long> counts = out.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("records copied more than once").isEmpty();
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, total).mapToObj(Integer::toString).toList());
        cluster.start("broker-2");
    }

    @Test
    @Order(2)
    void anOpenTransactionSurvivesAKilledLeaderAndCommitsAtTheNewOne() throws Exception {
        TopicPartition tp = transactions.createTopic("txn-failover");
        int leader = transactions.leaderOf(tp, -1);
        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            produce(gateway, tp, transactional(9201, 0, "d1", "d2"));
            produce(gateway, tp, transactional(9202, 0, "e1"));
            assertThat(transactions.mark(leader, tp, 9202, false)).isEqualTo(Errors.NONE);
            produce(gateway, tp, plain("q1"));
        }
        assertThat(transactions.endOffset(tp, "read_committed")).isZero();

        cluster.kill("broker-" + leader);

        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(produceOnce(gateway, tp, transactional(9201, 2, "d3")))
                            .isEqualTo(Errors.NONE));
        }
        assertThat(transactions.endOffset(tp, "read_committed")).as("still open at the new leader").isZero();
        // The leader of each attempt: after the failover the coordinator may move leadership again, to where the
        // partition's data lives.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(transactions.mark(transactions.leaderOf(tp, leader), tp, 9201, true))
                        .isEqualTo(Errors.NONE));

        assertThat(transactions.read(tp, "read_committed")).containsExactly("d1", "d2", "q1", "d3");
        assertThat(transactions.read(tp, "read_uncommitted")).containsExactly("d1", "d2", "e1", "q1", "d3");
        assertThat(transactions.endOffset(tp, "read_committed")).isEqualTo(transactions.endOffset(tp, "read_uncommitted"))
                .isEqualTo(7);
    }

    /**
     * A read_committed consumer of every partition of a topic, from the start, in a thread of its own: what it was
     * shown, partition by partition, in order.
     */
    private static final class CommittedTail {

        private final Map<Integer, List<String>> shown = new ConcurrentHashMap<>();
        private final Thread reader;
        private volatile boolean closed;

        CommittedTail(String topic, int partitions) {
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            all.forEach(tp -> shown.put(tp.partition(), new CopyOnWriteArrayList<>()));
            reader = new Thread(() -> {
                try (KafkaConsumer<String, String> consumer = cluster.clients().consumer(
                        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
                    consumer.assign(all);
                    consumer.seekToBeginning(all);
                    while (!closed) {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> shown.get(r.partition()).add(r.value()));
                    }
                }
            }, "read-committed-tail");
            reader.setDaemon(true);
            reader.start();
        }

        /** What it was shown of the partition so far, in order. */
        List<String> shown(int partition) {
            return List.copyOf(shown.get(partition));
        }

        void close() throws InterruptedException {
            closed = true;
            reader.join(10_000);
        }
    }

    /** A read-process-write loop as Kafka's documentation writes it, retrying aborted transactions. */
    private static void copy(String input, String output, int total, AtomicInteger copied) {
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "copier");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        try (KafkaConsumer<String, String> consumer = cluster.clients().consumer(consumerConfig);
                KafkaProducer<String, String> producer = cluster.clients().producer(Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "copier-1",
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(4);
            int done = 0;
            while (done < total && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    producer.beginTransaction();
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    for (ConsumerRecord<String, String> r : records) {
                        producer.send(new ProducerRecord<>(output, r.key(), r.value()));
                        next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                    producer.commitTransaction();
                    done += records.count();
                    copied.addAndGet(records.count());
                } catch (ProducerFencedException e) {
                    throw e;
                } catch (KafkaException e) {
                    producer.abortTransaction();
                    rewindToCommitted(consumer);
                }
            }
        }
    }

    private static void rewindToCommitted(KafkaConsumer<String, String> consumer) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
        for (TopicPartition tp : consumer.assignment()) {
            OffsetAndMetadata c = committed.get(tp);
            if (c == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, c.offset());
            }
        }
    }
}
