package io.sluice.gateway.routing;

import static io.sluice.gateway.routing.StandInCluster.AUDIT;
import static io.sluice.gateway.routing.StandInCluster.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ListOffsetsRoutingTest {

    private static final int VERSION = 9;

    @RegisterExtension
    final StandInCluster cluster = new StandInCluster(1, 2);

    @Test
    void listOffsetsOfTwoLeadersAnswersInRequestOrderWithAnUnknownPartitionInTheMiddle() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        endsAtOffsetsOfItsId(cluster.broker(1));
        endsAtOffsetsOfItsId(cluster.broker(2));

        ListOffsetsResponseData answer = cluster.send(listOffsets(topic("orders", 1, 5, 0), topic("audit", 0)),
                VERSION);

        assertThat(partitions(answer)).containsExactly("orders-1 NONE @2001", "orders-5 UNKNOWN_TOPIC_OR_PARTITION @-1",
                "orders-0 NONE @1000", "audit-0 NONE @2000");
        assertThat(cluster.broker(1).received(ListOffsetsRequestData.class).get(0).isolationLevel()).isEqualTo((byte) 1);
    }

    @Test
    void partitionsOfALeaderThatCannotBeReachedFailWithNotLeader() throws Exception {
        cluster.describe(ORDERS).start();
        endsAtOffsetsOfItsId(cluster.broker(1));
        cluster.broker(2).stop();

        ListOffsetsResponseData answer = cluster.send(listOffsets(topic("orders", 0, 1, 2)), VERSION);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE @1000", "orders-1 NOT_LEADER_OR_FOLLOWER @-1",
                "orders-2 NONE @1002");
    }

    @Test
    void notLeaderRefreshesTheViewAndTheNextRequestGoesToTheNewLeader() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answers(ListOffsetsRequestData.class, request -> answerEach(request,
                (topic, p) -> new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()).setOffset(-1)));
        endsAtOffsetsOfItsId(cluster.broker(2));
        cluster.describe(ORDERS.ledBy(2, 2, 1));

        ListOffsetsResponseData refused = cluster.send(listOffsets(topic("orders", 0)), VERSION);
        assertThat(partitions(refused)).containsExactly("orders-0 NOT_LEADER_OR_FOLLOWER @-1");
        await().until(() -> cluster.leaderInView("orders", 0) == 2);

        assertThat(partitions(cluster.send(listOffsets(topic("orders", 0)), VERSION)))
                .containsExactly("orders-0 NONE @2000");
    }

    @Test
    void theGatewaysOwnListingFollowsALeaderThatMovedBeforeItAnswers() throws Exception {
        cluster.describe(ORDERS).start();
        cluster.broker(1).answers(ListOffsetsRequestData.class, request -> answerEach(request,
                (topic, p) -> new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()).setOffset(-1)));
        endsAtOffsetsOfItsId(cluster.broker(2));
        cluster.describe(ORDERS.ledBy(2, 2, 2));

        ListOffsetsResponseData answer = cluster.leaderRequests().listOffsets(listOffsets(topic("orders", 0, 1, 2)))
                .get(10, TimeUnit.SECONDS);

        assertThat(partitions(answer)).containsExactly("orders-0 NONE @2000", "orders-1 NONE @2001",
                "orders-2 NONE @2002");
    }

    /** Answers every partition with offset 1000 × broker id + partition. */
    private static void endsAtOffsetsOfItsId(StandInBroker broker) {
        broker.answers(ListOffsetsRequestData.class, request -> answerEach(request,
                (topic, p) -> new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                        .setOffset(1000L * broker.id() + p.partitionIndex()).setTimestamp(-1)));
    }

    private static ListOffsetsResponseData answerEach(ListOffsetsRequestData request,
            BiFunction<ListOffsetsTopic, ListOffsetsPartition, ListOffsetsPartitionResponse> answer) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            topic.partitions().forEach(p -> topicResponse.partitions().add(answer.apply(topic, p)));
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static ListOffsetsRequestData listOffsets(ListOffsetsTopic... topics) {
        return new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 1).setTimeoutMs(5000)
                .setTopics(List.of(topics));
    }

    private static ListOffsetsTopic topic(String name, int... partitions) {
        ListOffsetsTopic topic = new ListOffsetsTopic().setName(name);
        for (int p : partitions) {
            topic.partitions().add(new ListOffsetsPartition().setPartitionIndex(p)
                    .setTimestamp(ListOffsetsRequest.LATEST_TIMESTAMP));
        }
        return topic;
    }

    /** The answer's partitions in order, as "topic-partition ERROR @offset". */
    private static List<String> partitions(ListOffsetsResponseData answer) {
        return answer.topics().stream().flatMap(t -> t.partitions().stream()
                .map(p -> t.name() + "-" + p.partitionIndex() + " " + Errors.forCode(p.errorCode()) + " @"
                        + p.offset()))
                .toList();
    }
}
