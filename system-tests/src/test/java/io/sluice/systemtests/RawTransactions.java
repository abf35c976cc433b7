package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Transactions made by hand, as a transactional producer and the transaction coordinator make them: transactional
 * batches produced raw through the gateway, COMMIT and ABORT markers written straight to a partition's leader
 * (WriteTxnMarkers v1), and what real consumers read at either isolation level.
 */
final class RawTransactions {

    private static final short EPOCH = 0;
    private static final short WRITE_TXN_MARKERS_VERSION = 1;
    private static final short PRODUCE_VERSION = 9;

    private static final Set<Errors> NOT_YET_ROUTED = Set.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.LEADER_NOT_AVAILABLE, Errors.NOT_LEADER_OR_FOLLOWER);

    private final TestCluster cluster;

    RawTransactions(TestCluster cluster) {
        this.cluster = cluster;
    }

    /** A topic of one partition, replicated three times. */
    TopicPartition createTopic(String name) throws Exception {
        try (Admin admin = cluster.clients().admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        return new TopicPartition(name, 0);
    }

    /** The partition's leader in the coordinator's view, once it is a live broker other than {@code not}. */
    int leaderOf(TopicPartition tp, int not) {
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

    static MemoryRecords transactional(long producerId, int sequence, String... values) {
        return transactional(producerId, EPOCH, sequence, values);
    }

    static MemoryRecords transactional(long producerId, short epoch, int sequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence, records(values));
    }

    static MemoryRecords plain(String value) {
        return MemoryRecords.withRecords(Compression.NONE, records(value));
    }

    private static SimpleRecord[] records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    /**
     * Produces as a client would: a partition the gateway does not yet know a leader of (a topic just created, when
     * the admin client asked another gateway) is tried again; such a refusal stored nothing.
     */
    static void produce(RawKafka gateway, TopicPartition tp, MemoryRecords batch) throws Exception {
        Errors error = produceOnce(gateway, tp, batch);
        for (int retries = 0; retries < 100 && NOT_YET_ROUTED.contains(error); retries++) {
            Thread.sleep(100);
            error = produceOnce(gateway, tp, batch);
        }
        assertThat(error).isEqualTo(Errors.NONE);
    }

    static Errors produceOnce(RawKafka gateway, TopicPartition tp, MemoryRecords batch) throws Exception {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId("txn-it");
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(tp.topic());
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(tp.partition())
                .setRecords(MemoryRecords.readableRecords(batch.buffer().duplicate())));
        request.topicData().add(data);
        ProduceResponseData response = (ProduceResponseData) gateway.call(request, PRODUCE_VERSION);
        ProduceResponseData.PartitionProduceResponse answer = response.responses().iterator().next()
                .partitionResponses().get(0);
        Errors error = Errors.forCode(answer.errorCode());
        if (error != Errors.NONE) {
            // Which refusal it was (the gateway's or a leader's) tells a failure's cause: kept in the test report.
            System.out.printf("produce to %s: %s (%s)%n", tp, error, answer.errorMessage());
        }
        return error;
    }

    Errors mark(int broker, TopicPartition tp, long producerId, boolean commit) throws Exception {
        return mark(broker, tp, producerId, EPOCH, commit);
    }

    /** WriteTxnMarkers to one broker, as the transaction coordinator sends it; the partition's error code. */
    Errors mark(int broker, TopicPartition tp, long producerId, short epoch, boolean commit)
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
        try (RawKafka raw = new RawKafka(address).logInAsMember(cluster.memberSecret())) {
            WriteTxnMarkersResponseData response = (WriteTxnMarkersResponseData) raw.call(request,
                    WRITE_TXN_MARKERS_VERSION);
            WriteTxnMarkersResponseData.WritableTxnMarkerResult result = response.markers().get(0);
            assertThat(result.producerId()).isEqualTo(producerId);
            return Errors.forCode(result.topics().get(0).partitions().get(0).errorCode());
        }
    }

    private KafkaConsumer<String, String> consumer(String isolation) {
        return cluster.clients().consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    }

    /** Every value a consumer at this isolation level reads from the beginning up to its end offset. */
    List<String> read(TopicPartition tp, String isolation) {
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

    long endOffset(TopicPartition tp, String isolation) {
        try (KafkaConsumer<String, String> consumer = consumer(isolation)) {
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }
}
