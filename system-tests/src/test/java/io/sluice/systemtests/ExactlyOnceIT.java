package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka transactions through the gateway: read_committed, aborts, fencing, timeouts, and an exactly-once copy job. */
class ExactlyOnceIT {

    @RegisterExtension
    static final SluiceClusterExtension cluster = SluiceClusterExtension.withBrokers(3);

    private static final Map<String, Object> READ_COMMITTED = Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

    @Test
    void readCommittedSeesCommittedTransactionsOnlyAndWaitsForOpenOnes() throws Exception {
        String topic = "txn-visibility";
        createTopics(topic);
        try (KafkaProducer<String, String> producer = transactional("visibility")) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, "aborted", 0, 10);
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            send(producer, topic, "committed", 0, 10);
            producer.commitTransaction();
            producer.beginTransaction();
            send(producer, topic, "open", 0, 10);
            producer.flush();
            try (KafkaProducer<String, String> plain = Clients.producer(cluster.bootstrapServers())) {
                plain.send(new ProducerRecord<>(topic, 0, null, "after-open")).get();
            }
            assertThat(values(readAll(topic, 3, READ_COMMITTED))).as("read_committed while a transaction is open")
                    .containsExactlyInAnyOrderElementsOf(ids("committed", 10));
            assertThat(values(readAll(topic, 3, Map.of()))).as("read_uncommitted sees everything written")
                    .hasSize(31);
            producer.commitTransaction();
        }
        List<String> afterCommit = values(readAll(topic, 3, READ_COMMITTED));
        assertThat(afterCommit).hasSize(21).containsAll(ids("open", 10)).contains("after-open")
                .doesNotContainAnyElementsOf(ids("aborted", 10));
    }

    @Test
    void aNewProducerWithTheSameTransactionalIdFencesTheOldOneAndAbortsItsTransaction() throws Exception {
        String topic = "txn-fencing";
        createTopics(topic);
        KafkaProducer<String, String> zombie = transactional("fenced");
        try {
            zombie.initTransactions();
            zombie.beginTransaction();
            send(zombie, topic, "zombie", 0, 5);
            zombie.flush();
            try (KafkaProducer<String, String> successor = transactional("fenced")) {
                successor.initTransactions();
                successor.beginTransaction();
                send(successor, topic, "successor", 0, 5);
                successor.commitTransaction();
            }
            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertThat(values(readAll(topic, 3, READ_COMMITTED))).containsExactlyInAnyOrderElementsOf(
                ids("successor", 5));
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedSoReadersMoveOn() throws Exception {
        String topic = "txn-timeout";
        createTopics(topic);
        try (KafkaProducer<String, String> stalled = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stalled", ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 3_000))) {
            stalled.initTransactions();
            stalled.beginTransaction();
            send(stalled, topic, "stalled", 0, 5);
            stalled.flush();
            try (KafkaProducer<String, String> plain = Clients.producer(cluster.bootstrapServers())) {
                plain.send(new ProducerRecord<>(topic, 0, null, "later")).get();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    values(readAll(topic, 3, READ_COMMITTED))).containsExactly("later"));
            assertThatThrownBy(stalled::commitTransaction).isInstanceOf(KafkaException.class);
        }
    }

    @Test
    void copyJobUnderABrokerKillAndACoordinatorRestartWritesEveryInputRecordExactlyOnce() throws Exception {
        String input = "eos-in";
        String output = "eos-out";
        createTopics(input, output);
        int total = 6_000;
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers())) {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(input, "k" + i, Integer.toString(i)));
            }
        }
        AtomicInteger copied = new AtomicInteger();
        Thread job = new Thread(() -> copy(input, output, total, copied), "copy-job");
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

        List<String> out = values(readAll(output, 3, READ_COMMITTED));
        Map<String, Long> counts = out.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("records copied more than once").isEmpty();
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, total).mapToObj(Integer::toString).toList());
        cluster.start("broker-2");
    }

    /** A read-process-write loop as Kafka's documentation writes it, retrying aborted transactions. */
    private static void copy(String input, String output, int total, AtomicInteger copied) {
        Map<String, Object> consumerConfig = new HashMap<>(READ_COMMITTED);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "copier");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), consumerConfig);
                KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
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

    private static KafkaProducer<String, String> transactional(String id) {
        return Clients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, i % 3, null, prefix + "-" + i));
        }
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int partitions,
            Map<String, Object> config) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), config)) {
            List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && assigned.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static void createTopics(String... topics) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, 3, (short) 3));
            }
            admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
        }
    }
}
