package io.sluice.gateway.routing;

import static io.sluice.gateway.routing.StandInCluster.AUDIT;
import static io.sluice.gateway.routing.StandInCluster.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.record.BatchRecords;

class FetchRoutingTest {

    private static final int BY_NAME = 12;
    private static final int BY_TOPIC_ID = 17;

    @RegisterExtension
    final StandInCluster cluster = new StandInCluster(1, 2, 3);

    @Test
    void fetchFromTwoLeadersAnswersInRequestOrder() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        caughtUpAtOffsetsOfItsId(cluster.broker(1));
        caughtUpAtOffsetsOfItsId(cluster.broker(2));

        FetchResponseData answer = cluster.send(fetch(30_000, topic("orders", 2, 0, 1), topic("audit", 0)), BY_NAME);

        assertThat(answer.responses()).flatExtracting(t -> t.partitions().stream()
                .map(p -> t.topic() + "-" + p.partitionIndex() + " @" + p.highWatermark()).toList())
                .containsExactly("orders-2 @1002", "orders-0 @1000", "orders-1 @2001", "audit-0 @2000");
        assertThat(answer.sessionId()).isZero();
        assertThat(cluster.broker(2).received(FetchRequestData.class).get(0).topics())
                .extracting(FetchTopic::topic).containsExactly("orders", "audit");
    }

    @Test
    void fetchAnswersAsSoonAsOneLeaderBringsData() throws Exception {
        cluster.describe(ORDERS).start();
        bringsData(cluster.broker(1));
        CompletableFuture<ApiMessage> broker2 = new CompletableFuture<>();
        cluster.broker(2).answersLater(FetchRequestData.class, request -> broker2);

        FetchResponseData answer = cluster.send(fetch(30_000, topic("orders", 0, 1)), BY_NAME);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE broker-1:orders-0", "orders-1 NONE ");
        broker2.complete(emptyAnswer(cluster.broker(2).first(FetchRequestData.class)));
    }

    /**
     * A consumer answered by one leader asks the others the same again at once; a leader still long-polling is not
     * sent that part again (such parts piled up, each bringing back data nobody read, until the gateway ran out of
     * heap), and its answer, when it comes, serves the fetch that asked again.
     */
    @Test
    void aLeaderStillAskedIsNotAskedTheSameAgainAndItsAnswerServesTheNextFetch() throws Exception {
        cluster.describe(ORDERS).start();
        bringsData(cluster.broker(1));
        CompletableFuture<ApiMessage> broker2 = new CompletableFuture<>();
        cluster.broker(2).answersLater(FetchRequestData.class, request -> broker2);
        FetchResponseData early = cluster.send(fetch(30_000, topic("orders", 0, 1)), BY_NAME);
        assertThat(partitions(early)).containsExactly("orders-0 NONE broker-1:orders-0", "orders-1 NONE ");

        // Asked again with less fetch memory free: the part awaited within the larger bound serves as well.
        int taken = cluster.fetchMemory.take(FetchMemory.FETCH_MAX_BYTES - 500_000);
        CompletableFuture<ApiMessage> again = cluster.sendAsync(fetch(30_000, topic("orders", 1)), BY_NAME);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !again.isDone());
        cluster.fetchMemory.release(taken);
        broker2.complete(dataFrom(cluster.broker(2), cluster.broker(2).first(FetchRequestData.class)));

        assertThat(partitions((FetchResponseData) again.get(10, TimeUnit.SECONDS)))
                .containsExactly("orders-1 NONE broker-2:orders-1");
        assertThat(cluster.broker(2).received(FetchRequestData.class)).hasSize(1);
    }

    /**
     * Data a leader brings after the client was answered with another's is given to the client's next fetch of it,
     * which does not read it again; given once, it serves no further fetch. Without this every catch-up fetch read
     * each leader's data but delivered one leader's.
     */
    @Test
    void dataThatCameTooLateServesTheNextFetchOnce() throws Exception {
        CompletableFuture<ApiMessage> broker2 = broker2AnswersItsFirstFetchLate();
        FetchResponseData early = cluster.send(fetch(30_000, topic("orders", 0, 1)), BY_NAME);
        assertThat(partitions(early)).containsExactly("orders-0 NONE broker-1:orders-0", "orders-1 NONE ");
        broker2.complete(dataFrom(cluster.broker(2), cluster.broker(2).first(FetchRequestData.class)));

        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        FetchResponseData next = cluster.send(fetch(30_000, topic("orders", 1)), BY_NAME);
        assertThat(partitions(next)).containsExactly("orders-1 NONE broker-2:orders-1");
        assertThat(cluster.broker(2).received(FetchRequestData.class)).hasSize(1);

        FetchResponseData again = cluster.send(fetch(30_000, topic("orders", 1)), BY_NAME);
        assertThat(partitions(again)).containsExactly("orders-1 NONE broker-2:orders-1");
        assertThat(cluster.broker(2).received(FetchRequestData.class)).hasSize(2);
    }

    /**
     * Data several leaders brought after the client was answered goes out together in the client's next fetch, which
     * took one leader's at a time: a live tail behind three leaders delivered their records a fetch apart.
     */
    @Test
    void dataSeveralLeadersBroughtTooLateServesTheNextFetchTogether() throws Exception {
        StandInCluster.Topic wide = StandInCluster.Topic.of("wide", 1, 2, 3);
        cluster.describe(wide).start();
        bringsData(cluster.broker(1));
        CompletableFuture<ApiMessage> broker2 = answersItsFirstFetchLate(cluster.broker(2));
        CompletableFuture<ApiMessage> broker3 = answersItsFirstFetchLate(cluster.broker(3));
        FetchResponseData early = cluster.send(fetch(30_000, topic("wide", 0, 1, 2)), BY_NAME);
        assertThat(partitions(early)).containsExactly("wide-0 NONE broker-1:wide-0", "wide-1 NONE ", "wide-2 NONE ");
        broker2.complete(dataFrom(cluster.broker(2), cluster.broker(2).first(FetchRequestData.class)));
        broker3.complete(dataFrom(cluster.broker(3), cluster.broker(3).first(FetchRequestData.class)));

        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        FetchResponseData next = cluster.send(fetch(30_000, topic("wide", 1, 2)), BY_NAME);
        assertThat(partitions(next)).containsExactly("wide-1 NONE broker-2:wide-1", "wide-2 NONE broker-3:wide-2");
        assertThat(cluster.broker(2).received(FetchRequestData.class)).hasSize(1);
        assertThat(cluster.broker(3).received(FetchRequestData.class)).hasSize(1);
    }

    /** Without data a late answer is not kept: the next fetch long-polls the leader afresh. */
    @Test
    void aLateAnswerWithoutDataIsNotKept() throws Exception {
        CompletableFuture<ApiMessage> broker2 = broker2AnswersItsFirstFetchLate();
        cluster.send(fetch(30_000, topic("orders", 0, 1)), BY_NAME);
        broker2.complete(emptyAnswer(cluster.broker(2).first(FetchRequestData.class)));

        // Time for the gateway to take the late answer in: asked while it is still on its way, the next fetch would
        // join it.
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        FetchResponseData next = cluster.send(fetch(30_000, topic("orders", 1)), BY_NAME);
        assertThat(partitions(next)).containsExactly("orders-1 NONE broker-2:orders-1");
        assertThat(cluster.broker(2).received(FetchRequestData.class)).hasSize(2);
    }

    /** A client that does not come back for held data within the bound finds it read again. */
    @Test
    void heldDataIsDroppedAfterItsBound() throws Exception {
        CompletableFuture<ApiMessage> broker2 = broker2AnswersItsFirstFetchLate();
        cluster.send(fetch(30_000, topic("orders", 0, 1)), BY_NAME);
        broker2.complete(dataFrom(cluster.broker(2), cluster.broker(2).first(FetchRequestData.class)));

        await().pollDelay(Duration.ofMillis(BrokerChannels.HELD_ANSWER_MS + 1_000)).until(() -> true);
        cluster.send(fetch(30_000, topic("orders", 1)), BY_NAME);
        assertThat(cluster.broker(2).received(FetchRequestData.class)).hasSize(2);
    }

    @Test
    void fetchWithoutDataWaitsForEveryLeader() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answers(FetchRequestData.class, FetchRoutingTest::emptyAnswer);
        CompletableFuture<ApiMessage> broker2 = new CompletableFuture<>();
        cluster.broker(2).answersLater(FetchRequestData.class, request -> broker2);

        CompletableFuture<ApiMessage> answer = cluster.sendAsync(fetch(30_000, topic("orders", 0, 1)), BY_NAME);

        await().until(() -> cluster.broker(1).received(FetchRequestData.class).size() == 1
                && cluster.broker(2).received(FetchRequestData.class).size() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !answer.isDone());
        broker2.complete(emptyAnswer(cluster.broker(2).first(FetchRequestData.class)));
        assertThat(partitions((FetchResponseData) answer.get(10, TimeUnit.SECONDS)))
                .containsExactly("orders-0 NONE ", "orders-1 NONE ");
    }

    /**
     * The leaders a fetch goes to share what the gateway's fetch memory grants it, so that a client's answer is at
     * most its maxBytes and all clients' answers together at most the fetch memory; with none free, each leader is
     * asked for one batch. Brokers the fetch does not go to take no share: a fetch from one leader gets it all.
     */
    @Test
    void leadersAreAskedForTheirShareOfWhatTheFetchMemoryGrants() throws Exception {
        cluster.describe(ORDERS).start();
        caughtUpAtOffsetsOfItsId(cluster.broker(1));
        caughtUpAtOffsetsOfItsId(cluster.broker(2));

        cluster.send(fetch(0, topic("orders", 0, 1)), BY_NAME);
        cluster.send(fetch(0, topic("orders", 0)), BY_NAME);
        int taken = cluster.fetchMemory.take(Integer.MAX_VALUE);
        cluster.send(fetch(0, topic("orders", 0, 1)), BY_NAME);
        cluster.fetchMemory.release(taken);

        assertThat(cluster.broker(1).received(FetchRequestData.class)).extracting(FetchRequestData::maxBytes)
                .containsExactly(512 * 1024, 1024 * 1024, 1);
        assertThat(cluster.broker(2).received(FetchRequestData.class)).extracting(FetchRequestData::maxBytes)
                .containsExactly(512 * 1024, 1);
        assertThat(cluster.fetchMemory.usedBytes()).isZero();
    }

    @Test
    void fetchAnswersAtOnceWhenALeaderCannotBeReached() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answersLater(FetchRequestData.class, request -> new CompletableFuture<>());
        cluster.broker(2).stop();

        FetchResponseData answer = cluster.send(fetch(30_000, topic("orders", 0, 1)), BY_NAME);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE ", "orders-1 NOT_LEADER_OR_FOLLOWER ");
    }

    @Test
    void unknownPartitionIsAnsweredAtOnceAndTheLeadersAreAskedNotToWait() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answers(FetchRequestData.class, FetchRoutingTest::emptyAnswer);

        FetchResponseData answer = cluster.send(fetch(30_000, topic("orders", 0, 9)), BY_NAME);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE ", "orders-9 UNKNOWN_TOPIC_OR_PARTITION ");
        assertThat(cluster.broker(1).received(FetchRequestData.class).get(0).maxWaitMs()).isZero();
    }

    @Test
    void fetchByTopicIdCarriesTheIdsToTheLeadersAndBack() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        bringsData(cluster.broker(1));
        bringsData(cluster.broker(2));
        Uuid unknown = Uuid.randomUuid();

        FetchResponseData answer = cluster.send(fetch(30_000, topicById(AUDIT.id(), 0), topicById(unknown, 0),
                topicById(ORDERS.id(), 0)), BY_TOPIC_ID);

        assertThat(answer.responses()).extracting(FetchableTopicResponse::topicId)
                .containsExactly(AUDIT.id(), unknown, ORDERS.id());
        assertThat(answer.responses()).extracting(t -> Errors.forCode(t.partitions().get(0).errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_ID, Errors.NONE);
        assertThat(cluster.broker(1).received(FetchRequestData.class).get(0).topics())
                .extracting(FetchTopic::topicId).containsExactly(ORDERS.id());
    }

    @Test
    void fencedLeaderEpochRefreshesTheViewAndTheNextFetchGoesToTheNewLeader() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answers(FetchRequestData.class,
                request -> answerEach(request, (topic, p) -> new PartitionData().setPartitionIndex(p.partition())
                        .setErrorCode(Errors.FENCED_LEADER_EPOCH.code())));
        bringsData(cluster.broker(2));
        cluster.describe(ORDERS.ledBy(2, 2, 1));

        FetchResponseData fenced = cluster.send(fetch(30_000, topic("orders", 0)), BY_NAME);
        assertThat(partitions(fenced)).containsExactly("orders-0 FENCED_LEADER_EPOCH ");
        await().until(() -> cluster.leaderInView("orders", 0) == 2);

        FetchResponseData fetched = cluster.send(fetch(30_000, topic("orders", 0)), BY_NAME);
        assertThat(partitions(fetched)).containsExactly("orders-0 NONE broker-2:orders-0");
    }

    /**
     * Orders' two leaders: broker 1 brings data at once; broker 2 answers its first fetch when the returned future is
     * completed, and later ones at once with data.
     */
    private CompletableFuture<ApiMessage> broker2AnswersItsFirstFetchLate() {
        cluster.describe(ORDERS).start();
        bringsData(cluster.broker(1));
        return answersItsFirstFetchLate(cluster.broker(2));
    }

    /** The broker answers its first fetch when the returned future is completed, and later ones at once with data. */
    private static CompletableFuture<ApiMessage> answersItsFirstFetchLate(StandInBroker broker) {
        CompletableFuture<ApiMessage> first = new CompletableFuture<>();
        broker.answersLater(FetchRequestData.class,
                request -> first.isDone() ? CompletableFuture.completedFuture(dataFrom(broker, request)) : first);
        return first;
    }

    /** Answers every partition with one record naming the broker and the partition. */
    private static void bringsData(StandInBroker broker) {
        broker.answers(FetchRequestData.class, request -> dataFrom(broker, request));
    }

    private static FetchResponseData dataFrom(StandInBroker broker, FetchRequestData request) {
        return answerEach(request, (topic, p) -> new PartitionData().setPartitionIndex(p.partition())
                .setHighWatermark(1).setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(
                        ("broker-" + broker.id() + ":" + topic.topic() + "-" + p.partition())
                                .getBytes(StandardCharsets.UTF_8)))));
    }

    /** Answers every partition without records, its high watermark at 1000 × broker id + partition. */
    private static void caughtUpAtOffsetsOfItsId(StandInBroker broker) {
        broker.answers(FetchRequestData.class, request -> answerEach(request,
                (topic, p) -> new PartitionData().setPartitionIndex(p.partition())
                        .setHighWatermark(1000L * broker.id() + p.partition()).setRecords(MemoryRecords.EMPTY)));
    }

    private static FetchResponseData emptyAnswer(FetchRequestData request) {
        return answerEach(request, (topic, p) -> new PartitionData().setPartitionIndex(p.partition())
                .setRecords(MemoryRecords.EMPTY));
    }

    private static FetchResponseData answerEach(FetchRequestData request,
            BiFunction<FetchTopic, FetchPartition, PartitionData> answer) {
        FetchResponseData response = new FetchResponseData();
        for (FetchTopic topic : request.topics()) {
            FetchableTopicResponse topicResponse = new FetchableTopicResponse().setTopic(topic.topic())
                    .setTopicId(topic.topicId());
            topic.partitions().forEach(p -> topicResponse.partitions().add(answer.apply(topic, p)));
            response.responses().add(topicResponse);
        }
        return response;
    }

    private static FetchRequestData fetch(int maxWaitMs, FetchTopic... topics) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1)
                .setMaxBytes(1024 * 1024).setTopics(List.of(topics));
    }

    private static FetchTopic topic(String name, int... partitions) {
        FetchTopic topic = new FetchTopic().setTopic(name);
        for (int p : partitions) {
            topic.partitions().add(new FetchPartition().setPartition(p).setPartitionMaxBytes(1024 * 1024));
        }
        return topic;
    }

    private static FetchTopic topicById(Uuid id, int partition) {
        return new FetchTopic().setTopicId(id).setPartitions(List.of(new FetchPartition().setPartition(partition)
                .setPartitionMaxBytes(1024 * 1024)));
    }

    /** The answer's partitions in order, as "topic-partition ERROR value" (no value: no records). */
    private static List<String> partitions(FetchResponseData answer) {
        return answer.responses().stream().flatMap(t -> t.partitions().stream()
                .map(p -> t.topic() + "-" + p.partitionIndex() + " " + Errors.forCode(p.errorCode()) + " "
                        + value(p)))
                .toList();
    }

    private static String value(PartitionData partition) {
        MemoryRecords records = (MemoryRecords) BatchRecords.records(BatchRecords.bytes(partition.records()));
        return records.sizeInBytes() == 0 ? ""
                : StandardCharsets.UTF_8.decode(records.records().iterator().next().value()).toString();
    }
}
