package io.sluice.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.cluster.ClusterView;

/** OffsetForLeaderEpoch: split by leader, merged in the request's order. */
final class OffsetForLeaderEpochRouter {

    private final MetadataView metadata;

    OffsetForLeaderEpochRouter(MetadataView metadata) {
        this.metadata = metadata;
    }

    CompletableFuture<ApiMessage> handle(OffsetForLeaderEpochRequestData request, short version,
            BrokerChannels brokers) {
        ClusterView view = metadata.current();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        Map<Integer, OffsetForLeaderEpochRequestData> parts = new HashMap<>();
        Map<Integer, List<EpochEndOffset>> slots = new HashMap<>();
        for (OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult topicResult = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(topicResult);
            for (OffsetForLeaderPartition partition : topic.partitions()) {
                EpochEndOffset slot = new EpochEndOffset().setPartition(partition.partition())
                        .setLeaderEpoch(-1).setEndOffset(-1);
                topicResult.partitions().add(slot);
                Route route = Route.of(view, topic.topic(), null, partition.partition());
                if (!route.routable()) {
                    slot.setErrorCode(route.error().code());
                    continue;
                }
                OffsetForLeaderEpochRequestData part = parts.computeIfAbsent(route.broker(),
                        b -> new OffsetForLeaderEpochRequestData().setReplicaId(request.replicaId()));
                OffsetForLeaderTopic partTopic = part.topics().find(topic.topic());
                if (partTopic == null) {
                    partTopic = new OffsetForLeaderTopic().setTopic(topic.topic());
                    part.topics().add(partTopic);
                }
                partTopic.partitions().add(partition.duplicate());
                slots.computeIfAbsent(route.broker(), b -> new ArrayList<>()).add(slot);
            }
        }
        return brokers.<OffsetForLeaderEpochResponseData> sendAll(view, parts, version, true,
                (broker, reply, error) -> merge(slots.get(broker), reply, error)).thenApply(v -> response);
    }

    private void merge(List<EpochEndOffset> slots, OffsetForLeaderEpochResponseData reply, Throwable error) {
        if (error != null || reply == null) {
            slots.forEach(s -> s.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
            metadata.refresh();
            return;
        }
        int i = 0;
        for (OffsetForLeaderTopicResult topic : reply.topics()) {
            for (EpochEndOffset p : topic.partitions()) {
                slots.get(i++).setErrorCode(p.errorCode()).setLeaderEpoch(p.leaderEpoch())
                        .setEndOffset(p.endOffset());
            }
        }
    }
}
