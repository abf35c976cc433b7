package io.sluice.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.cluster.ClusterView;

/**
 * Produce: splits the request by partition leader, forwards each part to its broker with the batches untouched, and
 * merges the answers in the request's order.
 */
final class ProduceRouter {

    private final MetadataView metadata;

    ProduceRouter(MetadataView metadata) {
        this.metadata = metadata;
    }

    CompletableFuture<ApiMessage> handle(ProduceRequestData request, short version, BrokerChannels brokers) {
        ClusterView view = metadata.current();
        ProduceResponseData response = new ProduceResponseData();
        Map<Integer, ProduceRequestData> parts = new HashMap<>();
        Map<Integer, List<PartitionProduceResponse>> slots = new HashMap<>();
        for (TopicProduceData topic : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse()
                    .setName(topic.name())
                    .setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            for (PartitionProduceData partition : topic.partitionData()) {
                PartitionProduceResponse slot = new PartitionProduceResponse().setIndex(partition.index());
                topicResponse.partitionResponses().add(slot);
                Route route = Route.of(view, topic.name(), topic.topicId(), partition.index());
                if (!route.routable()) {
                    slot.setErrorCode(route.error().code()).setBaseOffset(-1);
                    continue;
                }
                ProduceRequestData part = parts.computeIfAbsent(route.broker(), b -> new ProduceRequestData()
                        .setAcks(request.acks())
                        .setTimeoutMs(request.timeoutMs())
                        .setTransactionalId(request.transactionalId()));
                TopicProduceData partTopic = part.topicData().find(topic.name(), topic.topicId());
                if (partTopic == null) {
                    partTopic = new TopicProduceData().setName(topic.name()).setTopicId(topic.topicId());
                    part.topicData().add(partTopic);
                }
                partTopic.partitionData().add(new PartitionProduceData()
                        .setIndex(partition.index())
                        .setRecords(partition.records()));
                slots.computeIfAbsent(route.broker(), b -> new ArrayList<>()).add(slot);
            }
        }
        boolean acks = request.acks() != 0;
        CompletableFuture<Void> all = brokers.<ProduceResponseData> sendAll(view, parts, version, acks,
                (broker, reply, error) -> {
                    if (acks) {
                        merge(slots.get(broker), reply, error);
                    } else if (error != null) {
                        metadata.refresh();
                    }
                });
        return acks ? all.thenApply(v -> response) : CompletableFuture.completedFuture(null);
    }

    /** Copies a broker's answers into the slots it was asked for (same order); a failed broker fails them all. */
    private void merge(List<PartitionProduceResponse> slots, ProduceResponseData answer, Throwable error) {
        if (error != null || answer == null) {
            slots.forEach(s -> s.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()).setBaseOffset(-1)
                    .setErrorMessage("the partition leader could not be reached"));
            metadata.refresh();
            return;
        }
        int i = 0;
        boolean stale = false;
        for (TopicProduceResponse topic : answer.responses()) {
            for (PartitionProduceResponse p : topic.partitionResponses()) {
                PartitionProduceResponse slot = slots.get(i++);
                slot.setErrorCode(p.errorCode())
                        .setErrorMessage(p.errorMessage())
                        .setBaseOffset(p.baseOffset())
                        .setLogAppendTimeMs(p.logAppendTimeMs())
                        .setLogStartOffset(p.logStartOffset())
                        .setRecordErrors(p.recordErrors());
                stale |= p.errorCode() == Errors.NOT_LEADER_OR_FOLLOWER.code();
            }
        }
        if (stale) {
            metadata.refresh();
        }
    }
}
