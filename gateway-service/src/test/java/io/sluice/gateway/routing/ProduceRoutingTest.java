package io.sluice.gateway.routing;

import static io.sluice.gateway.routing.StandInCluster.AUDIT;
import static io.sluice.gateway.routing.StandInCluster.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.protocol.record.BatchRecords;

class ProduceRoutingTest {

    private static final int VERSION = 9;
    private static final int BY_TOPIC_ID = 13;

    @RegisterExtension
    final StandInCluster cluster = new StandInCluster(1, 2);

    @Test
    void produceToTwoLeadersAnswersInRequestOrder() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        writesAtOffsetsOfItsId(cluster.broker(1));
        writesAtOffsetsOfItsId(cluster.broker(2));

        ProduceResponseData answer = cluster.send(produce(1, topic("orders", 2, 0, 1), topic("audit", 0)), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-2 NONE @1002", "orders-0 NONE @1000",
                "orders-1 NONE @2001", "audit-0 NONE @2000");
        assertThat(received(cluster.broker(1))).containsExactly("orders-2 hello-orders-2", "orders-0 hello-orders-0");
        assertThat(received(cluster.broker(2))).containsExactly("orders-1 hello-orders-1", "audit-0 hello-audit-0");
    }

    @Test
    void unknownPartitionsFailAloneAndTheOthersAreWritten() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        writesAtOffsetsOfItsId(cluster.broker(1));
        writesAtOffsetsOfItsId(cluster.broker(2));

        ProduceResponseData answer = cluster.send(produce(1, topic("orders", 0, 7), topic("ghost", 0),
                topic("audit", 0)), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE @1000",
                "orders-7 UNKNOWN_TOPIC_OR_PARTITION @-1", "ghost-0 UNKNOWN_TOPIC_OR_PARTITION @-1",
                "audit-0 NONE @2000");
    }

    @Test
    void partitionsOfATopicTheClientMayNotWriteAreRefusedAndTheOthersWritten() throws Exception {
        cluster.describe(ORDERS, AUDIT).start(topic -> !topic.equals("audit"));
        writesAtOffsetsOfItsId(cluster.broker(1));
        writesAtOffsetsOfItsId(cluster.broker(2));

        ProduceResponseData answer = cluster.send(produce(1, topic("orders", 0, 1), topic("audit", 0)), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE @1000", "orders-1 NONE @2001",
                "audit-0 TOPIC_AUTHORIZATION_FAILED @-1");
        assertThat(received(cluster.broker(2))).containsExactly("orders-1 hello-orders-1");
    }

    @Test
    void partitionOfALeaderThatCannotBeReachedFailsWithNotLeaderAndTheOthersAreWritten() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        writesAtOffsetsOfItsId(cluster.broker(1));
        cluster.broker(2).stop();

        ProduceResponseData answer = cluster.send(produce(1, topic("orders", 0, 1), topic("audit", 0)), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE @1000", "orders-1 NOT_LEADER_OR_FOLLOWER @-1",
                "audit-0 NOT_LEADER_OR_FOLLOWER @-1");
        assertThat(answer.responses().iterator().next().partitionResponses().get(1).errorMessage())
                .isEqualTo("the partition leader could not be reached");
        assertThat(LeaderRequests.notAppended(answer.responses().iterator().next().partitionResponses().get(1)))
                .isTrue();
    }

    @Test
    void partitionOfALeaderThatGotItsPartAndWentAwayFailsAsPossiblyWritten() throws Exception {
        cluster.describe(ORDERS).start();
        writesAtOffsetsOfItsId(cluster.broker(1));
        CompletableFuture<ApiMessage> answer = cluster.sendAsync(produce(1, topic("orders", 0, 1)), VERSION);
        cluster.broker(2).first(ProduceRequestData.class);

        cluster.broker(2).stop();

        // Not NOT_LEADER_OR_FOLLOWER, which librdkafka takes for "not written": an idempotent producer then moves its
        // sequence numbers on, and its retry of records that were written fails with OUT_OF_ORDER_SEQUENCE_NUMBER.
        ProduceResponseData written = (ProduceResponseData) answer.get(10, TimeUnit.SECONDS);
        assertThat(partitions(written)).containsExactly("orders-0 NONE @1000", "orders-1 REQUEST_TIMED_OUT @-1");
        assertThat(LeaderRequests.notAppended(written.responses().iterator().next().partitionResponses().get(1)))
                .isFalse();
    }

    @Test
    void partitionWhoseLeaderIsNotAliveFailsWithNotLeader() throws Exception {
        cluster.describe(List.of(2), ORDERS).start();
        writesAtOffsetsOfItsId(cluster.broker(1));

        ProduceResponseData answer = cluster.send(produce(1, topic("orders", 0, 1)), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE @1000", "orders-1 NOT_LEADER_OR_FOLLOWER @-1");
        assertThat(cluster.broker(2).received(ProduceRequestData.class)).isEmpty();
    }

    @Test
    void notLeaderRefreshesTheViewAndTheNextProduceGoesToTheNewLeader() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answers(ProduceRequestData.class, request -> answerEach(request,
                (topic, p) -> new PartitionProduceResponse().setIndex(p.index())
                        .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()).setBaseOffset(-1)));
        writesAtOffsetsOfItsId(cluster.broker(2));
        cluster.describe(ORDERS.ledBy(2, 2, 1));

        ProduceResponseData refused = cluster.send(produce(1, topic("orders", 0)), VERSION);
        assertThat(partitions(refused)).containsExactly("orders-0 NOT_LEADER_OR_FOLLOWER @-1");
        await().until(() -> cluster.leaderInView("orders", 0) == 2);

        ProduceResponseData written = cluster.send(produce(1, topic("orders", 0)), VERSION);
        assertThat(partitions(written)).containsExactly("orders-0 NONE @2000");
        assertThat(cluster.viewRequests()).isEqualTo(2);
    }

    @Test
    void topicTheViewDoesNotKnowYetRefreshesTheViewAndTheRetryIsWritten() throws Exception {
        cluster.describe(ORDERS).start();
        writesAtOffsetsOfItsId(cluster.broker(2));
        cluster.describe(ORDERS, AUDIT);

        ProduceResponseData unknown = cluster.send(produce(1, topic("audit", 0)), VERSION);
        assertThat(partitions(unknown)).containsExactly("audit-0 UNKNOWN_TOPIC_OR_PARTITION @-1");
        await().until(() -> cluster.leaderInView("audit", 0) == 2);

        assertThat(partitions(cluster.send(produce(1, topic("audit", 0)), VERSION)))
                .containsExactly("audit-0 NONE @2000");
    }

    /**
     * A produce whose partitions all have one leader goes to it as the client encoded it, not encoded again: a body
     * with its tagged fields out of order, which Kafka's reader takes and its writer refuses, arrives byte for byte.
     */
    @Test
    void produceToOneLeaderIsSentOnAsTheClientEncodedIt() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        writesAtOffsetsOfItsId(cluster.broker(1));
        ProduceRequestData request = produce(1, topic("orders", 2, 0));
        ByteBuffer encoded = MessageUtil.toByteBufferAccessor(request, (short) VERSION).buffer();
        ByteBuffer body = ByteBuffer.allocate(encoded.remaining() + 6);
        // The body ends with its count of tagged fields, 0: two fields instead, tag 5 before tag 3.
        body.put(encoded.limit(encoded.limit() - 1)).put(new byte[] { 2, 5, 1, 42, 3, 1, 43 }).flip();

        ProduceResponseData answer = cluster.sendEncoded(request, body.duplicate(), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-2 NONE @1002", "orders-0 NONE @1000");
        assertThat(cluster.broker(1).receivedProduceBodies()).containsExactly(body);
    }

    @Test
    void acksZeroProduceIsAnsweredByNobodyAndReachesEveryLeader() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        writesAtOffsetsOfItsId(cluster.broker(1));
        writesAtOffsetsOfItsId(cluster.broker(2));

        cluster.sendWithoutAnswer(produce(0, topic("orders", 0, 1)), VERSION);
        ProduceResponseData next = cluster.send(produce(1, topic("audit", 0)), VERSION);

        assertThat(partitions(next)).containsExactly("audit-0 NONE @2000");
        assertThat(received(cluster.broker(1))).containsExactly("orders-0 hello-orders-0");
        assertThat(received(cluster.broker(2))).containsExactly("orders-1 hello-orders-1", "audit-0 hello-audit-0");
        assertThat(cluster.broker(2).received(ProduceRequestData.class).get(0).acks()).isZero();
    }

    @Test
    void producesPipelinedBeforeTheLeaderConnectionOpensReachItInTheClientsOrder() throws Exception {
        cluster.describe(ORDERS).start();
        writesAtOffsetsOfItsId(cluster.broker(1));

        List<CompletableFuture<ApiMessage>> answers = List.of(
                cluster.sendAsync(produce(1, topic("orders", 0)), VERSION),
                cluster.sendAsync(produce(1, topic("orders", 2)), VERSION),
                cluster.sendAsync(produce(1, topic("orders", 0)), VERSION));
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(received(cluster.broker(1))).containsExactly("orders-0 hello-orders-0", "orders-2 hello-orders-2",
                "orders-0 hello-orders-0");
    }

    @Test
    void produceByTopicIdReachesTheLeaderAndAnswersWithTheId() throws Exception {
        cluster.describe(ORDERS).start();
        writesAtOffsetsOfItsId(cluster.broker(2));
        ProduceRequestData request = produce(1);
        request.topicData().add(new TopicProduceData().setTopicId(ORDERS.id()).setPartitionData(
                List.of(new PartitionProduceData().setIndex(1).setRecords(records("by-id")))));

        ProduceResponseData answer = cluster.send(request, BY_TOPIC_ID);

        TopicProduceResponse topic = answer.responses().iterator().next();
        assertThat(topic.topicId()).isEqualTo(ORDERS.id());
        assertThat(topic.partitionResponses().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(cluster.broker(2).received(ProduceRequestData.class).get(0).topicData().iterator().next().topicId())
                .isEqualTo(ORDERS.id());
    }

    /** Answers every partition with base offset 1000 × broker id + partition; nothing with acks=0, as brokers do. */
    private static void writesAtOffsetsOfItsId(StandInBroker broker) {
        broker.answers(ProduceRequestData.class, request -> request.acks() == 0 ? null
                : answerEach(request,
                        (topic, p) -> new PartitionProduceResponse().setIndex(p.index()).setBaseOffset(1000L * broker.id()
                                + p.index())));
    }

    private static ProduceResponseData answerEach(ProduceRequestData request,
            BiFunction<TopicProduceData, PartitionProduceData, PartitionProduceResponse> answer) {
        ProduceResponseData response = new ProduceResponseData();
        for (TopicProduceData topic : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name())
                    .setTopicId(topic.topicId());
            topic.partitionData().forEach(p -> topicResponse.partitionResponses().add(answer.apply(topic, p)));
            response.responses().add(topicResponse);
        }
        return response;
    }

    private static ProduceRequestData produce(int acks, TopicProduceData... topics) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) acks).setTimeoutMs(5000);
        for (TopicProduceData topic : topics) {
            request.topicData().add(topic);
        }
        return request;
    }

    private static TopicProduceData topic(String name, int... partitions) {
        TopicProduceData topic = new TopicProduceData().setName(name);
        for (int p : partitions) {
            topic.partitionData().add(new PartitionProduceData().setIndex(p).setRecords(records("hello-" + name + "-"
                    + p)));
        }
        return topic;
    }

    private static MemoryRecords records(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The answer's partitions in order, as "topic-partition ERROR @baseOffset". */
    private static List<String> partitions(ProduceResponseData answer) {
        return answer.responses().stream().flatMap(t -> t.partitionResponses().stream()
                .map(p -> t.name() + "-" + p.index() + " " + Errors.forCode(p.errorCode()) + " @" + p.baseOffset()))
                .toList();
    }

    /** What a broker was asked to write, in order, as "topic-partition value". */
    private static List<String> received(StandInBroker broker) {
        return broker.received(ProduceRequestData.class).stream().flatMap(r -> r.topicData().stream())
                .flatMap(t -> t.partitionData().stream().map(p -> t.name() + "-" + p.index() + " " + value(p)))
                .toList();
    }

    private static String value(PartitionProduceData partition) {
        MemoryRecords records = (MemoryRecords) BatchRecords.records(BatchRecords.bytes(partition.records()));
        return StandardCharsets.UTF_8.decode(records.records().iterator().next().value()).toString();
    }
}
