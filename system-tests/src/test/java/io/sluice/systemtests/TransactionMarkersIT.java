package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The broker side of transactions, end to end: transactional batches produced by hand through the gateway, COMMIT and
 * ABORT markers written straight to the partition's leader as the transaction coordinator does (WriteTxnMarkers v1),
 * and real consumers at both isolation levels.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransactionMarkersIT {

    private static final short WRITE_TXN_MARKERS_VERSION = 1;
    private static final short PRODUCE_VERSION = 9;
    private static final short EPOCH = 0;

    @RegisterExtension
    static final SluiceClusterExtension cluster = SluiceClusterExtension.withBrokers(3);

    @Test
    @Order(1)
    void readCommittedSkipsAbortedTransactionsAndWaitsForOpenOnes() throws Exception {
        TopicPartition tp = createTopic("txn-markers");
        int leader = leaderOf(tp, -1);
        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            produce(gateway, tp, transactional(9001, 0, "a1", "a2"));
            assertThat(mark(leader, tp, 9001, true)).isEqualTo(Errors.NONE);
            produce(gateway, tp, transactional(9002, 0, "b1", "b2"));
            assertThat(mark(leader, tp, 9002, false)).isEqualTo(Errors.NONE);
            produce(gateway, tp, plain("p1"));
            produce(gateway, tp, transactional(9003, 0, "c1"));
            produce(gateway, tp, plain("p2"));

            assertThat(read(tp, "read_committed")).containsExactly("a1", "a2", "p1");
            assertThat(read(tp, "read_uncommitted")).containsExactly("a1", "a2", "b1", "b2", "p1", "c1", "p2");
            // a1 a2 COMMIT b1 b2 ABORT p1 | c1 p2: the open transaction of c1 holds the last stable offset at 7.
            assertThat(endOffset(tp, "read_committed")).isEqualTo(7);
            assertThat(endOffset(tp, "read_uncommitted")).isEqualTo(9);

            assertThat(mark(leader, tp, 9003, true)).isEqualTo(Errors.NONE);

            assertThat(read(tp, "read_committed")).containsExactly("a1", "a2", "p1", "c1", "p2");
            assertThat(endOffset(tp, "read_committed")).isEqualTo(10);
            assertThat(endOffset(tp, "read_uncommitted")).isEqualTo(10);
        }
    }

    @Test
    @Order(2)
    void markersAreAnsweredPerPartition() throws Exception {
        TopicPartition tp = createTopic("txn-marker-errors");
        int leader = leaderOf(tp, -1);
        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            produce(gateway, tp, transactional(9101, (short) 3, 0, "x"));
        }
        assertThat(mark(leader, tp, 9101, (short) 2, true)).as("an older epoch")
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(mark(leader, new TopicPartition("no-such-topic", 0), 9101, (short) 3, true))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        int other = cluster.aliveBrokers().stream().filter(b -> b != leader).findFirst().orElseThrow();
        assertThat(mark(other, tp, 9101, (short) 3, true)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(mark(leader, tp, 9101, (short) 3, false)).isEqualTo(Errors.NONE);
        assertThat(read(tp, "read_committed")).isEmpty();
        assertThat(read(tp, "read_uncommitted")).containsExactly("x");
    }

    @Test
    @Order(3)
    void anOpenTransactionSurvivesAKilledLeaderAndCommitsAtTheNewOne() throws Exception {
        TopicPartition tp = createTopic("txn-failover");
        int leader = leaderOf(tp, -1);
        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            produce(gateway, tp, transactional(9201, 0, "d1", "d2"));
            produce(gateway, tp, transactional(9202, 0, "e1"));
            assertThat(mark(leader, tp, 9202, false)).isEqualTo(Errors.NONE);
            produce(gateway, tp, plain("q1"));
        }
        assertThat(endOffset(tp, "read_committed")).isZero();

        cluster.kill("broker-" + leader);
        int next = leaderOf(tp, leader);

        try (RawKafka gateway = new RawKafka(cluster.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(produceOnce(gateway, tp, transactional(9201, 2, "d3")))
                            .isEqualTo(Errors.NONE));
        }
        assertThat(endOffset(tp, "read_committed")).as("still open at the new leader").isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(mark(next, tp, 9201, true)).isEqualTo(Errors.NONE));

        assertThat(read(tp, "read_committed")).containsExactly("d1", "d2", "q1", "d3");
        assertThat(read(tp, "read_uncommitted")).containsExactly("d1", "d2", "e1", "q1", "d3");
        assertThat(endOffset(tp, "read_committed")).isEqualTo(endOffset(tp, "read_uncommitted")).isEqualTo(7);
    }

    private static TopicPartition createTopic(String name) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        return new TopicPartition(name, 0);
    }

    /** The partition's leader in the coordinator's view, once it is a live broker other than {@code not}. */
    private static int leaderOf(TopicPartition tp, int not) {
        int[] leader = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode view = cluster.clusterView().orElse(null);
            if (view == null) {
                return false;
            }
            for (JsonNode topic : view.path("topics")) {
                if (topic.path("name").asText().equals(tp.topic())) {
                    leader[0] = topic.path("partitions").get(tp.partition()).path("leader").asInt();
                }
            }
            return leader[0] > 0 && leader[0] != not && cluster.aliveBrokers().contains(leader[0]);
        });
        return leader[0];
    }

    private static MemoryRecords transactional(long producerId, int sequence, String... values) {
        return transactional(producerId, EPOCH, sequence, values);
    }

    private static MemoryRecords transactional(long producerId, short epoch, int sequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence, records(values));
    }

    private static MemoryRecords plain(String value) {
        return MemoryRecords.withRecords(Compression.NONE, records(value));
    }

    private static SimpleRecord[] records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    private static void produce(RawKafka gateway, TopicPartition tp, MemoryRecords batch) throws Exception {
        assertThat(produceOnce(gateway, tp, batch)).isEqualTo(Errors.NONE);
    }

    private static Errors produceOnce(RawKafka gateway, TopicPartition tp, MemoryRecords batch) throws Exception {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId("txn-it");
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(tp.topic());
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(tp.partition())
                .setRecords(MemoryRecords.readableRecords(batch.buffer().duplicate())));
        request.topicData().add(data);
        ProduceResponseData response = (ProduceResponseData) gateway.call(request, PRODUCE_VERSION);
        return Errors.forCode(response.responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    private static Errors mark(int broker, TopicPartition tp, long producerId, boolean commit) throws Exception {
        return mark(broker, tp, producerId, EPOCH, commit);
    }

    /** WriteTxnMarkers to one broker, as the transaction coordinator sends it; the partition's error code. */
    private static Errors mark(int broker, TopicPartition tp, long producerId, short epoch, boolean commit)
            throws Exception {
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(producerId)
                .setProducerEpoch(epoch)
                .setTransactionResult(commit)
                .setCoordinatorEpoch(0);
        marker.topics().add(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(tp.topic())
                .setPartitionIndexes(List.of(tp.partition())));
        request.markers().add(marker);
        String address = "127.0.0.1:" + cluster.member("broker-" + broker).kafkaPort();
        try (RawKafka raw = new RawKafka(address)) {
            WriteTxnMarkersResponseData response = (WriteTxnMarkersResponseData) raw.call(request,
                    WRITE_TXN_MARKERS_VERSION);
            WriteTxnMarkersResponseData.WritableTxnMarkerResult result = response.markers().get(0);
            assertThat(result.producerId()).isEqualTo(producerId);
            return Errors.forCode(result.topics().get(0).partitions().get(0).errorCode());
        }
    }

    private static KafkaConsumer<String, String> consumer(String isolation) {
        return Clients.consumer(cluster.bootstrapServers(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }

    /** Every value a consumer at this isolation level reads from the beginning up to its end offset. */
    private static List<String> read(TopicPartition tp, String isolation) {
        try (KafkaConsumer<String, String> consumer = consumer(isolation)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            assertThat(consumer.position(tp)).as("position of a %s consumer", isolation).isEqualTo(end);
            // A little longer: nothing past the end offset may arrive.
            consumer.poll(Duration.ofMillis(1_000)).forEach(r -> values.add(r.value()));
            return values;
        }
    }

    private static long endOffset(TopicPartition tp, String isolation) {
        try (KafkaConsumer<String, String> consumer = consumer(isolation)) {
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }
}
