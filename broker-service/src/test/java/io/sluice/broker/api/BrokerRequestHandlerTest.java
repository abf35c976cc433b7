package io.sluice.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.broker.leadership.PartitionLeaders;
import io.sluice.broker.log.SingleNodeStore;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.codec.ResponseEncoder;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterView.BrokerNode;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.record.BatchRecords;
import io.vertx.core.Vertx;

/**
 * The broker's Kafka API on a real single-node store: broker 1 leads partition 0 of each test's topic at epoch 2,
 * broker 2 leads partition 1; every partition of a request gets its own answer.
 */
class BrokerRequestHandlerTest {

    private static final int BROKER_ID = 1;
    private static final int LEADER_EPOCH = 2;

    @RegisterExtension
    static final SingleNodeStore STORE = new SingleNodeStore("api-test");

    private static Vertx vertx;
    private static PartitionLeaders leaders;
    private static BrokerRequestHandler handler;
    private static int topics;

    @BeforeAll
    static void startBroker() {
        vertx = Vertx.vertx();
        leaders = new PartitionLeaders(BROKER_ID, STORE.store(), SingleNodeStore.SETTINGS);
        handler = new BrokerRequestHandler(leaders, vertx, Path.of("target"), new FetchMemory(64 << 20));
    }

    @AfterAll
    static void stopBroker() {
        leaders.closeAll();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A new topic, partition 0 led here and 1 by broker 2, once this broker has taken leadership of partition 0. */
    private static TopicView newTopic() {
        TopicView topic = new TopicView("topic-" + (++topics), Uuid.randomUuid(), List.of(
                new PartitionView(0, BROKER_ID, LEADER_EPOCH, List.of(BROKER_ID), List.of(BROKER_ID)),
                new PartitionView(1, 2, 0, List.of(2), List.of(2))));
        leaders.apply(new ClusterView("cluster", Map.of(BROKER_ID, new BrokerNode(BROKER_ID, "127.0.0.1", 9094)),
                Map.of(topic.name(), topic), Map.of(topic.id(), topic)));
        leaders.log(topic.id(), 0).join();
        return topic;
    }

    /**
     * The answer, once it has been encoded at the request's version as the listener would: an exception, an answer
     * that cannot be encoded or none at all would each close the client's connection.
     */
    private static <R extends ApiMessage> R handle(ApiKeys api, int version, ApiMessage request) {
        return handle(handler, api, version, request);
    }

    @SuppressWarnings("unchecked")
    private static <R extends ApiMessage> R handle(BrokerRequestHandler by, ApiKeys api, int version,
            ApiMessage request) {
        RequestFrame frame = new RequestFrame(api.id, (short) version, 1, "test", request);
        R response = (R) by.handle(frame, null).toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        if (response != null) {
            ResponseEncoder.encode(frame, (short) version, response);
        }
        return response;
    }

    private static ProduceResponseData produce(String topic, int records, int... partitions) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        for (int partition : partitions) {
            SimpleRecord[] values = new SimpleRecord[records];
            for (int i = 0; i < records; i++) {
                values[i] = new SimpleRecord(1_000 + i, null, ("v" + i).getBytes());
            }
            data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                    .setRecords(MemoryRecords.withRecords(Compression.NONE, values)));
        }
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        request.topicData().add(data);
        return handle(ApiKeys.PRODUCE, 9, request);
    }

    private static List<Errors> errors(ProduceResponseData response) {
        return response.responses().stream().flatMap(t -> t.partitionResponses().stream())
                .map(p -> Errors.forCode(p.errorCode())).toList();
    }

    @Test
    void produceAppendsToThePartitionsLedHereAndRefusesTheOthers() {
        TopicView topic = newTopic();

        ProduceResponseData first = produce(topic.name(), 3, 0, 1);
        ProduceResponseData second = produce(topic.name(), 2, 0);
        ProduceResponseData unknown = produce("no-such-topic", 1, 0);

        assertThat(errors(first)).containsExactly(Errors.NONE, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(first.responses().iterator().next().partitionResponses().get(0).baseOffset()).isZero();
        assertThat(second.responses().iterator().next().partitionResponses().get(0).baseOffset()).isEqualTo(3);
        assertThat(errors(unknown)).containsExactly(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(leaders.log(topic.id(), 0).join().highWatermark()).isEqualTo(5);
    }

    @Test
    void produceWithoutAcksAnswersNothing() {
        TopicView topic = newTopic();
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 0);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic.name()));

        assertThat((ApiMessage) handle(ApiKeys.PRODUCE, 9, request)).isNull();
    }

    @Test
    void fetchReadsWhatWasProducedAndAnswersEveryPartition() {
        TopicView topic = newTopic();
        produce(topic.name(), 3, 0);
        FetchRequestData.FetchTopic wanted = new FetchRequestData.FetchTopic().setTopic(topic.name());
        for (int partition = 0; partition < 2; partition++) {
            wanted.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(-1));
        }
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setIsolationLevel((byte) 0);
        request.topics().add(wanted);

        FetchResponseData response = handle(ApiKeys.FETCH, 12, request);

        List<FetchResponseData.PartitionData> partitions = response.responses().get(0).partitions();
        assertThat(partitions).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(partitions.get(0).highWatermark()).isEqualTo(3);
        assertThat(BatchRecords.bytes(partitions.get(0).records()).remaining()).isPositive();
    }

    @Test
    void listOffsetsAnswersTheLatestOffsetWithTheLeaderEpochFromVersionFour() {
        TopicView topic = newTopic();
        produce(topic.name(), 4, 0);
        ListOffsetsRequestData.ListOffsetsTopic wanted = new ListOffsetsRequestData.ListOffsetsTopic()
                .setName(topic.name());
        for (int partition = 0; partition < 2; partition++) {
            wanted.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition)
                    .setTimestamp(-1).setCurrentLeaderEpoch(-1));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
        request.topics().add(wanted);

        ListOffsetsResponseData v4 = handle(ApiKeys.LIST_OFFSETS, 4, request);
        ListOffsetsResponseData v1 = handle(ApiKeys.LIST_OFFSETS, 1, request);

        List<ListOffsetsResponseData.ListOffsetsPartitionResponse> partitions = v4.topics().get(0).partitions();
        assertThat(partitions.get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions.get(0).offset()).isEqualTo(4);
        assertThat(partitions.get(0).leaderEpoch()).isEqualTo(LEADER_EPOCH);
        assertThat(partitions.get(1).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(partitions.get(1).offset()).isEqualTo(-1);
        assertThat(v1.topics().get(0).partitions().get(0).leaderEpoch()).isEqualTo(-1);
    }

    @Test
    void offsetForLeaderEpochAnswersTheEndOfTheEpochAndFencesAnOlderOne() {
        TopicView topic = newTopic();
        produce(topic.name(), 2, 0);
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic wanted = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic()
                .setTopic(topic.name());
        wanted.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                .setLeaderEpoch(LEADER_EPOCH).setCurrentLeaderEpoch(LEADER_EPOCH));
        wanted.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                .setLeaderEpoch(LEADER_EPOCH).setCurrentLeaderEpoch(LEADER_EPOCH - 1));
        wanted.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(1)
                .setLeaderEpoch(0).setCurrentLeaderEpoch(-1));
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        request.topics().add(wanted);

        OffsetForLeaderEpochResponseData response = handle(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 4, request);

        List<OffsetForLeaderEpochResponseData.EpochEndOffset> partitions = response.topics().iterator().next().partitions();
        assertThat(partitions).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.FENCED_LEADER_EPOCH, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(partitions.get(0).leaderEpoch()).isEqualTo(LEADER_EPOCH);
        assertThat(partitions.get(0).endOffset()).isEqualTo(2);
        assertThat(partitions.get(1).endOffset()).isEqualTo(-1);
        assertThat(partitions.get(2).leaderEpoch()).isEqualTo(-1);
    }

    @Test
    void writeTxnMarkersAppendsAMarkerToEachPartitionLedHere() {
        TopicView topic = newTopic();
        WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(9).setProducerEpoch((short) 0).setCoordinatorEpoch(0).setTransactionResult(true);
        marker.topics().add(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic.name())
                .setPartitionIndexes(List.of(0, 1)));
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        request.markers().add(marker);

        WriteTxnMarkersResponseData response = handle(ApiKeys.WRITE_TXN_MARKERS, 1, request);

        assertThat(response.markers().get(0).producerId()).isEqualTo(9);
        assertThat(response.markers().get(0).topics().get(0).partitions())
                .extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(leaders.log(topic.id(), 0).join().highWatermark()).as("the marker").isEqualTo(1);
    }

    private static ListOffsetsRequestData listOffsets(String topic, int isolation, long timestamp, int... partitions) {
        ListOffsetsRequestData.ListOffsetsTopic wanted = new ListOffsetsRequestData.ListOffsetsTopic().setName(topic);
        for (int partition : partitions) {
            wanted.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition)
                    .setTimestamp(timestamp).setCurrentLeaderEpoch(-1));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1)
                .setIsolationLevel((byte) isolation);
        request.topics().add(wanted);
        return request;
    }

    /** Error, offset, timestamp and leader epoch of the first partition answered. */
    private static List<Long> listed(ListOffsetsResponseData response) {
        ListOffsetsResponseData.ListOffsetsPartitionResponse p = response.topics().get(0).partitions().get(0);
        return List.of((long) p.errorCode(), p.offset(), p.timestamp(), (long) p.leaderEpoch());
    }

    @Test
    void listOffsetsAnswersEverySpecialTimestampAsKafkaWithoutTieredStorage() {
        TopicView topic = newTopic();
        long none = Errors.NONE.code();
        assertThat(listed(handle(ApiKeys.LIST_OFFSETS, 9, listOffsets(topic.name(), 0, -3, 0))))
                .as("max timestamp of an empty log").containsExactly(none, -1L, -1L, -1L);
        assertThat(listed(handle(ApiKeys.LIST_OFFSETS, 9, listOffsets(topic.name(), 0, -2, 0))))
                .as("earliest of an empty log").containsExactly(none, 0L, -1L, (long) LEADER_EPOCH);
        produce(topic.name(), 4, 0);

        for (int version : new int[] { 7, 8, 9 }) {
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -1, 0))))
                    .as("latest, v%d", version).containsExactly(none, 4L, -1L, (long) LEADER_EPOCH);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -2, 0))))
                    .as("earliest").containsExactly(none, 0L, -1L, (long) LEADER_EPOCH);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -3, 0))))
                    .as("max timestamp").containsExactly(none, 3L, 1_003L, (long) LEADER_EPOCH);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -4, 0))))
                    .as("earliest local").containsExactly(none, 0L, -1L, (long) LEADER_EPOCH);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -5, 0))))
                    .as("latest tiered").containsExactly(none, -1L, -1L, -1L);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -6, 0))))
                    .as("earliest pending upload").containsExactly(none, -1L, -1L, -1L);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, -7, 0))))
                    .as("another negative timestamp is searched for").containsExactly(none, 0L, 1_000L, 2L);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 1, Long.MIN_VALUE, 0))))
                    .containsExactly(none, 0L, 1_000L, 2L);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, 1_002, 0))))
                    .containsExactly(none, 2L, 1_002L, 2L);
            assertThat(listed(handle(ApiKeys.LIST_OFFSETS, version, listOffsets(topic.name(), 0, 9_999, 0))))
                    .containsExactly(none, -1L, -1L, -1L);
        }
        assertThat(listed(handle(ApiKeys.LIST_OFFSETS, 1, listOffsets(topic.name(), 0, -3, 0))))
                .as("v1 has no leader epoch").containsExactly(none, 3L, 1_003L, -1L);
    }

    @Test
    void listOffsetsAnswersOddRequestsWithErrorCodes() {
        TopicView topic = newTopic();
        ListOffsetsRequestData twice = listOffsets(topic.name(), 0, -1, 0, 0, -1);

        ListOffsetsResponseData badIsolation = handle(ApiKeys.LIST_OFFSETS, 9, listOffsets(topic.name(), 2, -1, 0));
        ListOffsetsResponseData negativeIsolation = handle(ApiKeys.LIST_OFFSETS, 9,
                listOffsets(topic.name(), -1, -1, 0));
        ListOffsetsResponseData duplicated = handle(ApiKeys.LIST_OFFSETS, 9, twice);

        assertThat(listed(badIsolation).get(0)).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(listed(negativeIsolation).get(0)).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(duplicated.topics().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private static FetchRequestData fetch(String topic, long offset, int maxBytes, int partitionMaxBytes,
            int isolation) {
        FetchRequestData.FetchTopic wanted = new FetchRequestData.FetchTopic().setTopic(topic);
        wanted.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                .setPartitionMaxBytes(partitionMaxBytes).setCurrentLeaderEpoch(-1));
        wanted.partitions().add(new FetchRequestData.FetchPartition().setPartition(-3).setFetchOffset(0)
                .setPartitionMaxBytes(partitionMaxBytes).setCurrentLeaderEpoch(-1));
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(maxBytes)
                .setIsolationLevel((byte) isolation);
        request.topics().add(wanted);
        return request;
    }

    @Test
    void fetchAnswersOddRequestsWithDataOrErrorCodes() {
        TopicView topic = newTopic();
        produce(topic.name(), 3, 0);

        FetchResponseData badIsolation = handle(ApiKeys.FETCH, 12, fetch(topic.name(), 0, 1 << 20, 1 << 20, 3));
        FetchResponseData oldBadIsolation = handle(ApiKeys.FETCH, 4, fetch(topic.name(), 0, 1 << 20, 1 << 20, -1));
        FetchResponseData negativeMax = handle(ApiKeys.FETCH, 12, fetch(topic.name(), 0, -1, -1, 0));
        FetchResponseData hugeMax = handle(ApiKeys.FETCH, 12,
                fetch(topic.name(), 0, Integer.MAX_VALUE, Integer.MAX_VALUE, 1));
        FetchResponseData negativeOffset = handle(ApiKeys.FETCH, 12, fetch(topic.name(), -5, 1 << 20, 1 << 20, 0));
        FetchResponseData hugeOffset = handle(ApiKeys.FETCH, 12,
                fetch(topic.name(), Long.MAX_VALUE, 1 << 20, 1 << 20, 0));

        assertThat(badIsolation.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(badIsolation.responses().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
        assertThat(oldBadIsolation.responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        for (FetchResponseData answered : List.of(negativeMax, hugeMax)) {
            List<FetchResponseData.PartitionData> partitions = answered.responses().get(0).partitions();
            assertThat(partitions).extracting(p -> Errors.forCode(p.errorCode()))
                    .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(BatchRecords.bytes(partitions.get(0).records()).remaining()).isPositive();
        }
        assertThat(negativeOffset.responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(hugeOffset.responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
    }

    /**
     * A fetch reads at most what the broker's fetch memory has free, so that many consumers asking for Kafka's largest
     * fetches cannot together read more than the heap holds; with nothing free it reads the floor (here one byte: its
     * first batch, the least an answer with data carries), and all it may again once memory is given back.
     */
    @Test
    void fetchesReadNoMoreThanTheBrokersFetchMemoryHasFree() {
        TopicView topic = newTopic();
        for (int i = 0; i < 20; i++) {
            produce(topic.name(), 100, 0);
        }
        FetchMemory memory = new FetchMemory(4096, 1);
        BrokerRequestHandler bounded = new BrokerRequestHandler(leaders, vertx, Path.of("target"), memory);
        FetchRequestData wholeLog = fetch(topic.name(), 0, 1 << 20, 1 << 20, 0);

        int unbounded = recordBytes(handle(ApiKeys.FETCH, 12, wholeLog));
        int read = recordBytes(handle(bounded, ApiKeys.FETCH, 12, wholeLog));
        int taken = memory.take(4096);
        int starved = recordBytes(handle(bounded, ApiKeys.FETCH, 12, wholeLog));
        memory.release(taken);
        int afterwards = recordBytes(handle(bounded, ApiKeys.FETCH, 12, wholeLog));

        assertThat(unbounded).isGreaterThan(20_000);
        assertThat(read).isPositive().isLessThanOrEqualTo(4096);
        assertThat(starved).isPositive().isLessThan(read);
        assertThat(afterwards).isEqualTo(read);
        assertThat(memory.usedBytes()).isZero();
    }

    private static int recordBytes(FetchResponseData response) {
        return BatchRecords.bytes(response.responses().get(0).partitions().get(0).records()).remaining();
    }

    @Test
    void offsetForLeaderEpochAnswersAnUndefinedOrFutureEpochWithoutAnEnd() {
        TopicView topic = newTopic();
        produce(topic.name(), 2, 0);
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic wanted = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic()
                .setTopic(topic.name());
        for (int epoch : new int[] { -1, LEADER_EPOCH + 7, Integer.MIN_VALUE }) {
            wanted.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                    .setLeaderEpoch(epoch).setCurrentLeaderEpoch(-1));
        }
        wanted.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(-1)
                .setLeaderEpoch(0).setCurrentLeaderEpoch(Integer.MAX_VALUE));
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        request.topics().add(wanted);

        OffsetForLeaderEpochResponseData response = handle(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 4, request);

        List<OffsetForLeaderEpochResponseData.EpochEndOffset> partitions = response.topics().iterator().next()
                .partitions();
        assertThat(partitions).extracting(p -> List.of((long) p.errorCode(), (long) p.leaderEpoch(), p.endOffset()))
                .containsExactly(List.of(0L, -1L, -1L), List.of(0L, -1L, -1L),
                        List.of(0L, (long) Integer.MIN_VALUE, 0L),
                        List.of((long) Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), -1L, -1L));
    }

    @Test
    void writeTxnMarkersWithoutAProducerIdOrEpochIsAnInvalidRequest() {
        TopicView topic = newTopic();
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        for (long[] producer : new long[][] { { -1, 0 }, { 9, -1 } }) {
            WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                    .setProducerId(producer[0]).setProducerEpoch((short) producer[1]).setCoordinatorEpoch(-4)
                    .setTransactionResult(false);
            marker.topics().add(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic.name())
                    .setPartitionIndexes(List.of(0)));
            request.markers().add(marker);
        }

        WriteTxnMarkersResponseData response = handle(ApiKeys.WRITE_TXN_MARKERS, 1, request);

        assertThat(response.markers()).flatExtracting(m -> m.topics().get(0).partitions())
                .extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
        assertThat(leaders.log(topic.id(), 0).join().highWatermark()).isZero();
    }
}
