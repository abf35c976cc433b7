package io.sluice.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.cluster.ClusterView;

/** ListOffsets: split by leader, merged in the request's order. */
final class ListOffsetsRouter {

    private final MetadataView metadata;

    ListOffsetsRouter(MetadataView metadata) {
        this.metadata = metadata;
    }

    CompletableFuture<ApiMessage> handle(ListOffsetsRequestData request, short version, BrokerChannels brokers) {
        ClusterView view = metadata.current();
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        Map<Integer, ListOffsetsRequestData> parts = new HashMap<>();
        Map<Integer, List<ListOffsetsPartitionResponse>> slots = new HashMap<>();
        for (ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            for (ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsPartitionResponse slot = new ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex()).setOffset(-1).setTimestamp(-1);
                topicResponse.partitions().add(slot);
                Route route = Route.of(view, topic.name(), null, partition.partitionIndex());
                if (!route.routable()) {
                    slot.setErrorCode(route.error().code());
                    continue;
                }
                ListOffsetsRequestData part = parts.computeIfAbsent(route.broker(), b -> new ListOffsetsRequestData()
                        .setReplicaId(request.replicaId())
                        .setIsolationLevel(request.isolationLevel())
                        .setTimeoutMs(request.timeoutMs()));
                ListOffsetsTopic partTopic = part.topics().stream()
                        .filter(t -> t.name().equals(topic.name())).findFirst().orElse(null);
                if (partTopic == null) {
                    partTopic = new ListOffsetsTopic().setName(topic.name());
                    part.topics().add(partTopic);
                }
                partTopic.partitions().add(partition.duplicate());
                slots.computeIfAbsent(route.broker(), b -> new ArrayList<>()).add(slot);
            }
        }
        return brokers.<ListOffsetsResponseData> sendAll(view, parts, version, true,
                (broker, reply, error) -> merge(slots.get(broker), reply, error)).thenApply(v -> response);
    }

    private void merge(List<ListOffsetsPartitionResponse> slots, ListOffsetsResponseData reply, Throwable error) {
        if (error != null || reply == null) {
            slots.forEach(s -> s.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
            metadata.refresh();
            return;
        }
        int i = 0;
        for (ListOffsetsTopicResponse topic : reply.topics()) {
            for (ListOffsetsPartitionResponse p : topic.partitions()) {
                ListOffsetsPartitionResponse slot = slots.get(i++);
                slot.setErrorCode(p.errorCode())
                        .setOffset(p.offset())
                        .setTimestamp(p.timestamp())
                        .setLeaderEpoch(p.leaderEpoch());
            }
        }
    }
}
