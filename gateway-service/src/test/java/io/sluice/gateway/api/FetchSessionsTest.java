package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchRequestData.ForgottenTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.RequestLimits;
import io.sluice.protocol.record.BatchRecords;
import io.vertx.core.Vertx;

/**
 * Incremental fetch sessions as Kafka's clients use them, over a real listener: the gateway behind them is a stand-in
 * that answers each sessionless fetch with the partitions' high watermarks and records as the test sets them.
 */
class FetchSessionsTest {

    private static final String HOST = "127.0.0.1";
    private static final short BY_NAME = 12;
    private static final short BY_TOPIC_ID = 17;

    private final FetchSessions sessions = new FetchSessions(5);
    /** The stand-in's partitions, "topic-p", with their high watermarks; those in {@link #records} bring records. */
    private final Map<String, Long> highWatermarks = new HashMap<>();
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final List<FetchRequestData> whole = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private int port;
    private KafkaChannel client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        KafkaServer gateway = new KafkaServer("gateway", GatewayContract.APIS,
                (request, connection) -> sessions.serve(request, connection, this::standIn),
                new RequestLimits(1024 * 1024, 64L << 20));
        gateway.listen(vertx, HOST, 0).toCompletionStage().toCompletableFuture().join();
        port = gateway.port();
        client = connect();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aFullFetchOpensASessionWhoseFetchesNameAndHearOnlyWhatChanged() throws Exception {
        at(0, "orders-0", "orders-1", "orders-2");
        FetchResponseData full = send(fetch(0, 0, topic("orders", 0, 0, 1, 2)), BY_NAME);
        assertThat(full.sessionId()).isNotZero();
        assertThat(partitions(full)).containsExactly("orders-0@0", "orders-1@0", "orders-2@0");
        assertThat(sessions.sessions()).isEqualTo(1);
        assertThat(sessions.partitions()).isEqualTo(3);

        FetchResponseData nothingNew = send(fetch(full.sessionId(), 1), BY_NAME);
        assertThat(nothingNew.sessionId()).isEqualTo(full.sessionId());
        assertThat(partitions(nothingNew)).isEmpty();
        assertThat(lastWhole()).containsExactly("orders-0 from 0", "orders-1 from 0", "orders-2 from 0");

        highWatermarks.put("orders-1", 5L);
        records.add("orders-1");
        assertThat(partitions(send(fetch(full.sessionId(), 2), BY_NAME))).containsExactly("orders-1@5 records");

        // The client names the position that moved; the partition that brought records is fetched last from now on.
        records.clear();
        send(fetch(full.sessionId(), 3, topic("orders", 5, 1)), BY_NAME);
        assertThat(lastWhole()).containsExactly("orders-0 from 0", "orders-2 from 0", "orders-1 from 5");

        highWatermarks.put("orders-2", 7L);
        FetchResponseData forgotten = send(fetch(full.sessionId(), 4)
                .setForgottenTopicsData(List.of(new ForgottenTopic().setTopic("orders").setPartitions(List.of(0)))),
                BY_NAME);
        assertThat(partitions(forgotten)).containsExactly("orders-2@7");
        assertThat(lastWhole()).containsExactly("orders-2 from 0", "orders-1 from 5");
        assertThat(sessions.partitions()).isEqualTo(2);
    }

    @Test
    void sessionsNameTopicsByIdFromVersion13() throws Exception {
        Uuid orders = Uuid.randomUuid();
        at(3, "-0", "-1");
        FetchRequestData first = fetch(0, 0);
        first.topics().add(new FetchTopic().setTopicId(orders).setPartitions(List.of(
                new FetchPartition().setPartition(0).setFetchOffset(3),
                new FetchPartition().setPartition(1).setFetchOffset(3))));
        FetchResponseData full = send(first, BY_TOPIC_ID);
        assertThat(full.sessionId()).isNotZero();

        highWatermarks.put("-1", 4L);
        FetchResponseData next = send(fetch(full.sessionId(), 1), BY_TOPIC_ID);
        assertThat(next.responses()).singleElement().satisfies(t -> assertThat(t.topicId()).isEqualTo(orders));
        assertThat(partitions(next)).containsExactly("-1@4");
        assertThat(whole.get(whole.size() - 1).topics()).singleElement()
                .satisfies(t -> assertThat(t.topicId()).isEqualTo(orders));
    }

    @Test
    void anUnknownSessionOrAWrongEpochIsRefusedAsKafkaDoesAndTheSessionServesOn() throws Exception {
        at(0, "orders-0");
        FetchResponseData full = send(fetch(0, 0, topic("orders", 0, 0)), BY_NAME);

        FetchResponseData unknown = send(fetch(full.sessionId() + 1, 1), BY_NAME);
        assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(unknown.sessionId()).isZero();
        FetchResponseData replayed = send(fetch(full.sessionId(), 7), BY_NAME);
        assertThat(Errors.forCode(replayed.errorCode())).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);

        highWatermarks.put("orders-0", 1L);
        FetchResponseData next = send(fetch(full.sessionId(), 1), BY_NAME);
        assertThat(Errors.forCode(next.errorCode())).isEqualTo(Errors.NONE);
        assertThat(partitions(next)).containsExactly("orders-0@1");
        assertThat(Errors.forCode(send(fetch(full.sessionId(), 1), BY_NAME).errorCode()))
                .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(Errors.forCode(send(fetch(full.sessionId(), 2), BY_TOPIC_ID).errorCode()))
                .isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
    }

    /** Another connection cannot use a session: a session is its connection's, and ends with it. */
    @Test
    void aSessionIsItsConnectionsAndEndsWithIt() throws Exception {
        at(0, "orders-0", "orders-1");
        FetchResponseData full = send(fetch(0, 0, topic("orders", 0, 0, 1)), BY_NAME);
        KafkaChannel other = connect();

        FetchResponseData elsewhere = (FetchResponseData) other.send(fetch(full.sessionId(), 1), BY_NAME)
                .get(10, TimeUnit.SECONDS);
        assertThat(Errors.forCode(elsewhere.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

        client.close();
        await().untilAsserted(() -> assertThat(sessions.sessions()).isZero());
        assertThat(sessions.partitions()).isZero();
    }

    @Test
    void aSessionlessFetchEndsTheSessionAndIsAnsweredInFull() throws Exception {
        at(0, "orders-0", "orders-1");
        FetchResponseData full = send(fetch(0, 0, topic("orders", 0, 0, 1)), BY_NAME);

        FetchResponseData sessionless = send(fetch(full.sessionId(), -1, topic("orders", 0, 0, 1)), BY_NAME);

        assertThat(sessionless.sessionId()).isZero();
        assertThat(partitions(sessionless)).containsExactly("orders-0@0", "orders-1@0");
        assertThat(sessions.sessions()).isZero();
        assertThat(Errors.forCode(send(fetch(full.sessionId(), 1), BY_NAME).errorCode()))
                .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
    }

    /**
     * Sessions hold no more partitions than the gateway allows: a full fetch past it gets no session, and a session
     * that would grow past it ends, so its client fetches in full again.
     */
    @Test
    void sessionsPastTheirPartitionBoundAreNotKept() throws Exception {
        at(0, "big-0", "big-1", "big-2", "big-3", "big-4", "big-5");
        FetchResponseData tooMany = send(fetch(0, 0, topic("big", 0, 0, 1, 2, 3, 4, 5)), BY_NAME);
        assertThat(tooMany.sessionId()).isZero();
        assertThat(partitions(tooMany)).hasSize(6);
        assertThat(sessions.partitions()).isZero();

        FetchResponseData full = send(fetch(0, 0, topic("big", 0, 0, 1, 2, 3)), BY_NAME);
        assertThat(full.sessionId()).isNotZero();
        FetchResponseData grown = send(fetch(full.sessionId(), 1, topic("big", 0, 4, 5)), BY_NAME);
        assertThat(Errors.forCode(grown.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(sessions.sessions()).isZero();
        assertThat(sessions.partitions()).isZero();
    }

    /** A partition whose leader had not answered when the gateway answered is not news: nothing was learnt of it. */
    @Test
    void aPartitionNotAnsweredYetIsLeftOut() throws Exception {
        at(0, "orders-0", "orders-1");
        FetchResponseData full = send(fetch(0, 0, topic("orders", 0, 0, 1)), BY_NAME);
        highWatermarks.put("orders-0", -1L);
        highWatermarks.put("orders-1", 2L);

        assertThat(partitions(send(fetch(full.sessionId(), 1), BY_NAME))).containsExactly("orders-1@2");
        highWatermarks.put("orders-0", 0L);
        assertThat(partitions(send(fetch(full.sessionId(), 2), BY_NAME))).isEmpty();
    }

    /** The stand-in gateway: every partition asked, with its high watermark and, if set so, a record. */
    private CompletableFuture<ApiMessage> standIn(RequestFrame frame) {
        FetchRequestData request = (FetchRequestData) frame.body();
        assertThat(request.sessionEpoch()).isIn(-1, 0);
        whole.add(request);
        FetchResponseData answer = new FetchResponseData();
        for (FetchTopic topic : request.topics()) {
            FetchableTopicResponse topicAnswer = new FetchableTopicResponse().setTopic(topic.topic())
                    .setTopicId(topic.topicId());
            for (FetchPartition partition : topic.partitions()) {
                String name = topic.topic() + "-" + partition.partition();
                long highWatermark = highWatermarks.get(name);
                topicAnswer.partitions().add(new PartitionData().setPartitionIndex(partition.partition())
                        .setHighWatermark(highWatermark).setLastStableOffset(highWatermark).setLogStartOffset(0)
                        .setRecords(records.contains(name)
                                ? MemoryRecords.withRecords(Compression.NONE,
                                        new SimpleRecord(name.getBytes(StandardCharsets.UTF_8)))
                                : BatchRecords.empty()));
            }
            answer.responses().add(topicAnswer);
        }
        return CompletableFuture.completedFuture(answer);
    }

    private void at(long highWatermark, String... partitions) {
        for (String partition : partitions) {
            highWatermarks.put(partition, highWatermark);
        }
    }

    private static FetchRequestData fetch(int sessionId, int epoch, FetchTopic... topics) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMaxBytes(1 << 20).setSessionId(sessionId)
                .setSessionEpoch(epoch).setTopics(new ArrayList<>(List.of(topics)));
    }

    private static FetchTopic topic(String name, long fetchOffset, int... partitions) {
        FetchTopic topic = new FetchTopic().setTopic(name);
        for (int partition : partitions) {
            topic.partitions().add(new FetchPartition().setPartition(partition).setFetchOffset(fetchOffset)
                    .setPartitionMaxBytes(1 << 20));
        }
        return topic;
    }

    private static List<String> partitions(FetchResponseData answer) {
        return answer.responses().stream().flatMap(t -> t.partitions().stream()
                .map(p -> t.topic() + "-" + p.partitionIndex() + "@" + p.highWatermark()
                        + (p.records() != null && p.records().sizeInBytes() > 0 ? " records" : "")))
                .toList();
    }

    private List<String> lastWhole() {
        return whole.get(whole.size() - 1).topics().stream().flatMap(t -> t.partitions().stream()
                .map(p -> t.topic() + "-" + p.partition() + " from " + p.fetchOffset())).toList();
    }

    private FetchResponseData send(FetchRequestData request, short version) throws Exception {
        return (FetchResponseData) client.send(request, version).get(10, TimeUnit.SECONDS);
    }

    private KafkaChannel connect() {
        return KafkaChannel.connect(vertx, "client", HOST, port).toCompletionStage().toCompletableFuture().join();
    }
}
