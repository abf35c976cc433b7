package io.sluice.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.broker.leadership.PartitionLeaders;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.log.SingleNodeStore;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.codec.ResponseEncoder;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterView.BrokerNode;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.record.BatchHeaders;
import io.sluice.protocol.record.BatchRecords;
import io.vertx.core.Vertx;

/**
 * Produce on a real single-node store with the batches a fuzzer sends: each is refused with Kafka's error for its own
 * partition, nothing of it is stored, and the valid batch for the other partition of the same request is.
 */
class ProduceValidationTest {

    private static final int BROKER_ID = 1;
    private static final long HOUR = 3_600_000L;

    @RegisterExtension
    static final SingleNodeStore STORE = new SingleNodeStore("produce-validation");

    private static Vertx vertx;
    private static PartitionLeaders leaders;
    private static BrokerRequestHandler handler;
    private static int topics;
    private static Map<String, String> nextTopicConfigs = Map.of();

    @BeforeAll
    static void startBroker() {
        vertx = Vertx.vertx();
        leaders = new PartitionLeaders(BROKER_ID, STORE.store(), SingleNodeStore.SETTINGS);
        leaders.connect(() -> CompletableFuture.completedFuture(null),
                topic -> CompletableFuture.completedFuture(nextTopicConfigs), () -> true);
        handler = new BrokerRequestHandler(leaders, vertx, Path.of("target"), new FetchMemory(64 << 20));
    }

    @AfterAll
    static void stopBroker() {
        leaders.closeAll();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A new topic with these configs, both its partitions led here. */
    private static TopicView newTopic(Map<String, String> configs) {
        nextTopicConfigs = configs;
        TopicView topic = new TopicView("checked-" + (++topics), Uuid.randomUuid(), List.of(
                new PartitionView(0, BROKER_ID, 0, List.of(BROKER_ID), List.of(BROKER_ID)),
                new PartitionView(1, BROKER_ID, 0, List.of(BROKER_ID), List.of(BROKER_ID))));
        leaders.apply(new ClusterView("cluster", Map.of(BROKER_ID, new BrokerNode(BROKER_ID, "127.0.0.1", 9094)),
                Map.of(topic.name(), topic), Map.of(topic.id(), topic)));
        log(topic, 0);
        log(topic, 1);
        return topic;
    }

    private static PartitionLog log(TopicView topic, int partition) {
        return leaders.log(topic.id(), partition).join();
    }

    /** Produce v9 (per-record errors are in the answer from v8) of one batch per partition, null for none. */
    private static ProduceResponseData produce(TopicView topic, int acks, ByteBuffer... batches) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic.name());
        for (int partition = 0; partition < batches.length; partition++) {
            if (batches[partition] != null) {
                data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                        .setRecords(BatchRecords.records(batches[partition])));
            }
        }
        ProduceRequestData request = new ProduceRequestData().setAcks((short) acks).setTimeoutMs(30_000);
        request.topicData().add(data);
        RequestFrame frame = new RequestFrame(ApiKeys.PRODUCE.id, (short) 9, 1, "fuzzer", request);
        ProduceResponseData response = (ProduceResponseData) handler.handle(frame, null).toCompletableFuture().join();
        ResponseEncoder.encode(frame, (short) 9, response);
        return response;
    }

    private static PartitionProduceResponse partition(ProduceResponseData response, int partition) {
        return response.responses().iterator().next().partitionResponses().stream()
                .filter(p -> p.index() == partition).findFirst().orElseThrow();
    }

    /** One kind of bad batch, the topic configs it is sent under, and what Kafka answers it. */
    record Case(String name, Supplier<ByteBuffer> batch, Map<String, String> configs, Errors error,
            List<Integer> recordErrors) {

        Case(String name, Supplier<ByteBuffer> batch, Errors error) {
            this(name, batch, Map.of(), error, List.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static ByteBuffer batch(SimpleRecord... records) {
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    static Stream<Case> corruptBatches() {
        long now = System.currentTimeMillis();
        return Stream.of(
                new Case("damaged compressed payload", CorruptBatches::damagedCompressedPayload,
                        Errors.INVALID_RECORD),
                new Case("truncated compressed payload", CorruptBatches::truncatedCompressedPayload,
                        Errors.INVALID_RECORD),
                new Case("record count is not last offset delta + 1",
                        () -> CorruptBatches.withCount(CorruptBatches.valid(3), 3, 1_000_000), Errors.INVALID_RECORD),
                new Case("count and last offset delta agree on records that are not there",
                        () -> CorruptBatches.withCount(CorruptBatches.valid(3), 2_000_000_000, 1_999_999_999),
                        Errors.INVALID_RECORD),
                new Case("count and last offset delta agree on more compressed records than there are",
                        () -> CorruptBatches.withCount(
                                CorruptBatches.gzipped(CorruptBatches.records(3, System.currentTimeMillis())), 4, 3),
                        Errors.INVALID_RECORD),
                new Case("bad varint framing", () -> CorruptBatches.badVarint(false), Errors.INVALID_RECORD),
                new Case("bad varint framing inside gzip", () -> CorruptBatches.badVarint(true),
                        Errors.INVALID_RECORD),
                new Case("record declaring 2 GiB inside gzip", CorruptBatches::twoGigabyteRecord,
                        Errors.INVALID_RECORD),
                new Case("truncated records", CorruptBatches::truncatedRecords, Errors.INVALID_RECORD),
                new Case("bytes after the last record", CorruptBatches::trailingBytes, Errors.INVALID_RECORD),
                new Case("offset deltas not consecutive", CorruptBatches::skippedOffsetDelta, Map.of(),
                        Errors.INVALID_RECORD, List.of(1)),
                new Case("magic 1", () -> CorruptBatches.withMagic((byte) 1), Errors.INVALID_RECORD),
                new Case("unknown magic", () -> CorruptBatches.withMagic((byte) 7), Errors.CORRUPT_MESSAGE),
                new Case("CRC mismatch", () -> CorruptBatches.valid(2).put(70, (byte) 0), Errors.CORRUPT_MESSAGE),
                new Case("base offset other than 0", () -> CorruptBatches.valid(2).putLong(0, 11_800_000_000L),
                        Errors.INVALID_RECORD),
                new Case("control batch", () -> CorruptBatches.withAttributes(0x20), Errors.INVALID_RECORD),
                new Case("unknown compression codec", () -> CorruptBatches.withAttributes(0x06),
                        Errors.INVALID_RECORD),
                new Case("producer sets LogAppendTime", () -> CorruptBatches.withAttributes(0x08),
                        Errors.INVALID_TIMESTAMP),
                new Case("producer id without a sequence",
                        () -> CorruptBatches.withCrc(MemoryRecords.withIdempotentRecords(Compression.NONE, 5,
                                (short) 0, 0, CorruptBatches.records(2, now)).buffer().putInt(53, -1)),
                        Errors.INVALID_RECORD),
                new Case("two batches", CorruptBatches::twoBatches, Errors.INVALID_RECORD),
                new Case("timestamp two hours ahead", () -> batch(new SimpleRecord(now, "a".getBytes(), null),
                        new SimpleRecord(now + 2 * HOUR, "b".getBytes(), null)), Map.of(), Errors.INVALID_TIMESTAMP,
                        List.of(1)),
                new Case("timestamps older than message.timestamp.before.max.ms",
                        () -> batch(CorruptBatches.records(3, now - 48 * HOUR)),
                        Map.of("message.timestamp.before.max.ms", String.valueOf(24 * HOUR)),
                        Errors.INVALID_TIMESTAMP, List.of(0, 1, 2)),
                new Case("a record without key on a compacted topic",
                        () -> batch(new SimpleRecord(now, "a".getBytes(), null), new SimpleRecord(now, (byte[]) null, null)),
                        Map.of("cleanup.policy", "compact"), Errors.INVALID_RECORD, List.of(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptBatches")
    void aCorruptBatchIsRefusedForItsPartitionAloneAndNothingOfItIsStored(Case c) {
        TopicView topic = newTopic(c.configs());

        ProduceResponseData response = produce(topic, -1, c.batch().get(), CorruptBatches.valid(4));

        PartitionProduceResponse refused = partition(response, 0);
        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(c.error());
        assertThat(refused.errorMessage()).isNotBlank();
        assertThat(refused.recordErrors()).extracting(BatchIndexAndErrorMessage::batchIndex)
                .containsExactlyElementsOf(c.recordErrors());
        assertThat(Errors.forCode(partition(response, 1).errorCode())).isEqualTo(Errors.NONE);
        assertThat(log(topic, 1).highWatermark()).isEqualTo(4);
        assertThat(log(topic, 0).highWatermark()).isZero();
        ProduceResponseData next = produce(topic, -1, CorruptBatches.valid(2));
        assertThat(partition(next, 0).baseOffset()).as("the next batch starts the log").isZero();
        assertThat(log(topic, 0).highWatermark()).isEqualTo(2);
    }

    @Test
    void acksOtherThanMinusOneZeroOrOneAreRefusedForEveryPartition() {
        TopicView topic = newTopic(Map.of());

        ProduceResponseData response = produce(topic, 2, CorruptBatches.valid(1), CorruptBatches.valid(1));

        assertThat(response.responses().iterator().next().partitionResponses())
                .extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.INVALID_REQUIRED_ACKS, Errors.INVALID_REQUIRED_ACKS);
        assertThat(log(topic, 0).highWatermark()).isZero();
    }

    @Test
    void aHeaderThatMisstatesTheMaxTimestampIsStoredWithTheRecordsOwn() {
        TopicView topic = newTopic(Map.of());
        long now = System.currentTimeMillis();
        ByteBuffer understated = MemoryRecords.withRecords(Compression.lz4().build(),
                CorruptBatches.records(5, now)).buffer();
        CorruptBatches.withCrc(understated.putLong(35, 0));

        ProduceResponseData response = produce(topic, -1, understated);

        assertThat(Errors.forCode(partition(response, 0).errorCode())).isEqualTo(Errors.NONE);
        ByteBuffer stored = log(topic, 0).read(0, 1 << 20, IsolationLevel.READ_UNCOMMITTED).join().records();
        assertThat(BatchHeaders.maxTimestamp(stored, stored.position())).isEqualTo(now + 4);
        assertThat(BatchHeaders.validate(stored, stored.position(), stored.limit())).isEqualTo(1);
        assertThat(log(topic, 0).offsetForTimestamp(-3, IsolationLevel.READ_UNCOMMITTED).join().offset()).isEqualTo(4);
    }
}
