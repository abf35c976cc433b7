package io.sluice.gateway.routing;

import static io.sluice.gateway.routing.StandInCluster.AUDIT;
import static io.sluice.gateway.routing.StandInCluster.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OffsetForLeaderEpochRoutingTest {

    private static final int VERSION = 4;

    @RegisterExtension
    final StandInCluster cluster = new StandInCluster(1, 2);

    @Test
    void epochEndsOfTwoLeadersAnswerInRequestOrderWithUnknownPartitionsFailingAlone() throws Exception {
        cluster.describe(ORDERS, AUDIT).start();
        epochsEndAtOffsetsOfItsId(cluster.broker(1));
        epochsEndAtOffsetsOfItsId(cluster.broker(2));

        OffsetForLeaderEpochResponseData answer = cluster.send(request(topic("audit", 0), topic("ghost", 0),
                topic("orders", 2, 1, 3)), VERSION);

        assertThat(answer.topics()).flatExtracting(t -> t.partitions().stream()
                .map(p -> t.topic() + "-" + p.partition() + " " + Errors.forCode(p.errorCode()) + " @"
                        + p.endOffset())
                .toList())
                .containsExactly("audit-0 NONE @2000", "ghost-0 UNKNOWN_TOPIC_OR_PARTITION @-1", "orders-2 NONE @1002",
                        "orders-1 NONE @2001", "orders-3 UNKNOWN_TOPIC_OR_PARTITION @-1");
        assertThat(cluster.broker(2).received(OffsetForLeaderEpochRequestData.class).get(0).topics())
                .extracting(OffsetForLeaderTopic::topic).containsExactly("audit", "orders");
    }

    /** Answers every partition with end offset 1000 × broker id + partition. */
    private static void epochsEndAtOffsetsOfItsId(StandInBroker broker) {
        broker.answers(OffsetForLeaderEpochRequestData.class, request -> {
            OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
            for (OffsetForLeaderTopic topic : request.topics()) {
                OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
                topic.partitions().forEach(p -> result.partitions().add(new EpochEndOffset()
                        .setPartition(p.partition()).setLeaderEpoch(p.leaderEpoch())
                        .setEndOffset(1000L * broker.id() + p.partition())));
                response.topics().add(result);
            }
            return response;
        });
    }

    private static OffsetForLeaderEpochRequestData request(OffsetForLeaderTopic... topics) {
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        List.of(topics).forEach(request.topics()::add);
        return request;
    }

    private static OffsetForLeaderTopic topic(String name, int... partitions) {
        OffsetForLeaderTopic topic = new OffsetForLeaderTopic().setTopic(name);
        for (int p : partitions) {
            topic.partitions().add(new OffsetForLeaderPartition().setPartition(p).setLeaderEpoch(0)
                    .setCurrentLeaderEpoch(0));
        }
        return topic;
    }
}
