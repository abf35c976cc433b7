package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;

/**
 * Kafka transactions through the gateway: read_committed, aborts, fencing, timeouts. An exactly-once copy job under
 * failures: {@link TransactionFailoverIT}.
 */
@SluiceCluster
class ExactlyOnceIT {

    static KafkaClients clients;

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
            try (KafkaProducer<String, String> plain = clients.producer()) {
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
        try (KafkaProducer<String, String> stalled = clients.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stalled", ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 3_000))) {
            stalled.initTransactions();
            stalled.beginTransaction();
            send(stalled, topic, "stalled", 0, 5);
            stalled.flush();
            try (KafkaProducer<String, String> plain = clients.producer()) {
                plain.send(new ProducerRecord<>(topic, 0, null, "later")).get();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    values(readAll(topic, 3, READ_COMMITTED))).containsExactly("later"));
            assertThatThrownBy(stalled::commitTransaction).isInstanceOf(KafkaException.class);
        }
    }

    /** What {@code kafka-transactions.sh} list, describe and describe-producers show, while a transaction is open and after. */
    @Test
    void adminDescribesAnOpenTransactionAndItsProducer() throws Exception {
        String topic = "txn-admin";
        createTopics(topic);
        TopicPartition written = new TopicPartition(topic, 1);
        try (KafkaProducer<String, String> producer = transactional("described"); Admin admin = clients.admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, null, "first")).get();
            producer.send(new ProducerRecord<>(topic, 1, null, "second")).get();

            TransactionListing listed = admin.listTransactions(new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))).all().get(30, TimeUnit.SECONDS).stream()
                    .filter(l -> l.transactionalId().equals("described")).findFirst().orElseThrow();
            TransactionDescription open = describe(admin, "described");
            assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
            assertThat(open.producerId()).isEqualTo(listed.producerId());
            assertThat(open.topicPartitions()).containsExactly(written);
            assertThat(open.transactionStartTimeMs()).isPresent();
            assertThat(producers(admin, written)).singleElement().satisfies(p -> {
                assertThat(p.producerId()).isEqualTo(listed.producerId());
                assertThat(p.lastSequence()).isEqualTo(1);
                assertThat(p.currentTransactionStartOffset()).hasValue(0);
            });

            producer.commitTransaction();

            assertThat(describe(admin, "described").state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
            assertThat(producers(admin, written)).singleElement()
                    .satisfies(p -> assertThat(p.currentTransactionStartOffset()).isEmpty());
            assertThatThrownBy(() -> describe(admin, "nobody"))
                    .hasCauseInstanceOf(TransactionalIdNotFoundException.class);
        }
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                .get(30, TimeUnit.SECONDS);
    }

    private static List<ProducerState> producers(Admin admin, TopicPartition partition) throws Exception {
        return admin.describeProducers(List.of(partition)).partitionResult(partition).get(30, TimeUnit.SECONDS)
                .activeProducers();
    }

    private static KafkaProducer<String, String> transactional(String id) {
        return clients.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
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
        try (KafkaConsumer<String, String> consumer = clients.consumer(config)) {
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
        try (Admin admin = clients.admin()) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, 3, (short) 3));
            }
            admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
        }
    }
}
