package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/** Bad input gets Kafka's answer (an error code, or a closed connection) and the gateway keeps serving. */
@SluiceCluster
class BadInputIT {

    private static final short PRODUCE_V = 9;

    static TestCluster cluster;

    @BeforeAll
    static void topics(Admin admin) throws Exception {
        admin.createTopics(List.of(
                new NewTopic("bad-input", 1, (short) 3),
                new NewTopic("small-messages", 1, (short) 3).configs(Map.of("max.message.bytes", "1024"))))
                .all().get(30, TimeUnit.SECONDS);
    }

    private RawKafka connect() throws Exception {
        return new RawKafka(cluster.bootstrapServers());
    }

    private void assertStillServing() throws Exception {
        try (RawKafka raw = connect()) {
            MetadataResponseData metadata = (MetadataResponseData) raw.call(new MetadataRequestData().setTopics(null),
                    (short) 12);
            assertThat(metadata.topics().find("bad-input")).isNotNull();
        }
    }

    private static ByteBuffer batch(long producerId, int sequence, int values, int valueSize) {
        SimpleRecord[] records = new SimpleRecord[values];
        for (int i = 0; i < values; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, new byte[valueSize]);
        }
        return producerId < 0
                ? MemoryRecords.withRecords(Compression.NONE, records).buffer()
                : MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, sequence, records)
                        .buffer();
    }

    private static ProduceRequestData produce(String topic, ByteBuffer batch) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.readableRecords(batch)));
        request.topicData().add(data);
        return request;
    }

    private static ProduceResponseData.PartitionProduceResponse answer(ProduceResponseData response) {
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    @Test
    void garbageFrameClosesTheConnection() throws Exception {
        try (RawKafka raw = connect()) {
            raw.writeFrame(new byte[] { 0, 3, 0, 1, 0, 0 });
            assertThat(raw.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void negativeAndOversizedLengthsCloseTheConnection() throws Exception {
        for (int size : new int[] { -1, 200 * 1024 * 1024 }) {
            try (RawKafka raw = connect()) {
                raw.writeFrame(size, new byte[16]);
                assertThat(raw.closedByServer()).as("size %d", size).isTrue();
            }
        }
        assertStillServing();
    }

    @Test
    void requestOtherThanProduceOverEightMibClosesTheConnectionUnread() throws Exception {
        try (RawKafka raw = connect()) {
            raw.writeFrame(9 << 20, ByteBuffer.allocate(6).putShort(ApiKeys.METADATA.id).array());
            assertThat(raw.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    /**
     * Six clients each send a 24 MB produce at once, 144 MB, more than the 64 MiB of requests the gateway holds: it
     * reads them a few at a time, answers every one, and keeps serving.
     */
    @Test
    void largeRequestsFromManyClientsAtOnceAreReadInTurn() throws Exception {
        ByteBuffer large = batch(-1, 0, 24, 1_000_000);
        List<CompletableFuture<Short>> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        for (int client = 0; client < 6; client++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try (RawKafka raw = connect()) {
                    ProduceResponseData response = (ProduceResponseData) raw.call(
                            produce("small-messages", large.duplicate()), PRODUCE_V);
                    return answer(response).errorCode();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, clients));
        }
        try {
            for (CompletableFuture<Short> answer : answers) {
                assertThat(answer.get(120, TimeUnit.SECONDS)).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
            }
        } finally {
            clients.shutdownNow();
        }
        assertStillServing();
        HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(cluster.httpUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body().lines()).as("every held byte is released once answered")
                .contains("sluice_kafka_held_request_bytes{listener=\"gateway\"} 0.0");
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        try (RawKafka raw = connect()) {
            raw.writeFrame(ByteBuffer.allocate(10).putShort((short) 4242).putShort((short) 0).putInt(1)
                    .putShort((short) -1).array());
            assertThat(raw.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void tooNewApiVersionsIsAnsweredWithOurRange() throws Exception {
        try (RawKafka raw = connect()) {
            ApiVersionsResponseData current = (ApiVersionsResponseData) raw.call(new ApiVersionsRequestData(),
                    (short) 0);
            assertThat(current.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(current.apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
        }
        try (RawKafka raw = connect()) {
            // A flexible (v2) request header from a client newer than us: key, version 99, correlation id, no client
            // id, no tagged fields; then a body we cannot know.
            ByteBuffer frame = ByteBuffer.allocate(13).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99)
                    .putInt(1).putShort((short) -1).put((byte) 0).putShort((short) 0);
            raw.writeFrame(frame.array());
            ByteBuffer response = ByteBuffer.wrap(raw.readFrame());
            assertThat(response.getInt()).isEqualTo(1);
            assertThat(response.getShort()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        }
    }

    @Test
    void unsupportedVersionOfAnotherApiClosesTheConnection() throws Exception {
        try (RawKafka raw = connect()) {
            raw.writeFrame(ByteBuffer.allocate(10).putShort(ApiKeys.METADATA.id).putShort((short) 99).putInt(1)
                    .putShort((short) -1).array());
            assertThat(raw.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void corruptBatchIsCorruptMessage() throws Exception {
        ByteBuffer batch = batch(-1, 0, 3, 20);
        batch.put(batch.limit() - 2, (byte) 0x55);
        try (RawKafka raw = connect()) {
            ProduceResponseData response = (ProduceResponseData) raw.call(produce("bad-input", batch), PRODUCE_V);
            assertThat(answer(response).errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        }
        assertStillServing();
    }

    @Test
    void batchOverMaxMessageBytesIsMessageTooLarge() throws Exception {
        try (RawKafka raw = connect()) {
            ProduceResponseData response = (ProduceResponseData) raw.call(
                    produce("small-messages", batch(-1, 0, 4, 1_000)), PRODUCE_V);
            assertThat(answer(response).errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
            ProduceResponseData small = (ProduceResponseData) raw.call(
                    produce("small-messages", batch(-1, 0, 1, 100)), PRODUCE_V);
            assertThat(answer(small).errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void unknownTopicWithoutAutoCreateIsUnknown() throws Exception {
        try (RawKafka raw = connect()) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("not-there"));
            MetadataResponseData metadata = (MetadataResponseData) raw.call(request, (short) 12);
            assertThat(metadata.topics().find("not-there").errorCode())
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

            ProduceResponseData response = (ProduceResponseData) raw.call(produce("not-there", batch(-1, 0, 1, 10)),
                    PRODUCE_V);
            assertThat(answer(response).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void invalidTopicNameIsInvalidTopic() throws Exception {
        try (RawKafka raw = connect()) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("no spaces/allowed"));
            MetadataResponseData metadata = (MetadataResponseData) raw.call(request, (short) 12);
            assertThat(metadata.topics().find("no spaces/allowed").errorCode())
                    .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
    }

    @Test
    void retriedIdempotentBatchIsStoredOnceAndAGapIsOutOfOrder() throws Exception {
        long producerId = 7_000_000L + System.nanoTime() % 1000;
        try (RawKafka raw = connect()) {
            ByteBuffer first = batch(producerId, 0, 5, 10);
            ProduceResponseData once = (ProduceResponseData) raw.call(produce("bad-input", first.duplicate()),
                    PRODUCE_V);
            ProduceResponseData again = (ProduceResponseData) raw.call(produce("bad-input", batch(producerId, 0, 5, 10)),
                    PRODUCE_V);
            assertThat(answer(once).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(answer(again).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(answer(again).baseOffset()).isEqualTo(answer(once).baseOffset());

            ProduceResponseData gap = (ProduceResponseData) raw.call(produce("bad-input", batch(producerId, 9, 1, 10)),
                    PRODUCE_V);
            assertThat(answer(gap).errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());

            ProduceResponseData next = (ProduceResponseData) raw.call(produce("bad-input", batch(producerId, 5, 1, 10)),
                    PRODUCE_V);
            assertThat(answer(next).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(answer(next).baseOffset()).isEqualTo(answer(once).baseOffset() + 5);
        }
    }
}
