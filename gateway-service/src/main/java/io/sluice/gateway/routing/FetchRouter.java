package io.sluice.gateway.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.cluster.ClusterView;
import io.sluice.protocol.record.RecordBytes;

/**
 * Fetch: splits the request by leader and long-polls every broker at once. The client is answered as soon as one
 * part brings data or an error (parts still waiting answer empty, and are simply fetched again next time), or when
 * all parts have answered. No fetch sessions: session id 0, every partition in every response.
 */
final class FetchRouter {

    private final MetadataView metadata;

    FetchRouter(MetadataView metadata) {
        this.metadata = metadata;
    }

    CompletableFuture<ApiMessage> handle(FetchRequestData request, short version, BrokerChannels brokers) {
        ClusterView view = metadata.current();
        FetchResponseData response = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
        Map<Integer, FetchRequestData> parts = new HashMap<>();
        Map<Integer, List<PartitionData>> slots = new HashMap<>();
        boolean anyError = false;
        for (FetchTopic topic : request.topics()) {
            FetchableTopicResponse topicResponse = new FetchableTopicResponse()
                    .setTopic(topic.topic())
                    .setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            for (FetchPartition partition : topic.partitions()) {
                PartitionData slot = empty(partition.partition());
                topicResponse.partitions().add(slot);
                Route route = Route.of(view, topic.topic(), topic.topicId(), partition.partition());
                if (!route.routable()) {
                    slot.setErrorCode(route.error().code());
                    anyError = true;
                    continue;
                }
                FetchRequestData part = parts.computeIfAbsent(route.broker(), b -> subRequest(request));
                FetchTopic partTopic = part.topics().isEmpty() ? null : part.topics().get(part.topics().size() - 1);
                if (partTopic == null || !Objects.equals(partTopic.topic(), topic.topic())
                        || !Objects.equals(partTopic.topicId(), topic.topicId())) {
                    partTopic = new FetchTopic().setTopic(topic.topic()).setTopicId(topic.topicId());
                    part.topics().add(partTopic);
                }
                partTopic.partitions().add(partition.duplicate());
                slots.computeIfAbsent(route.broker(), b -> new ArrayList<>()).add(slot);
            }
        }
        if (anyError) {
            metadata.refresh();
        }
        if (parts.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        if (anyError) {
            parts.values().forEach(p -> p.setMaxWaitMs(0));
        }
        CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
        AtomicInteger outstanding = new AtomicInteger(parts.size());
        parts.forEach((broker, part) -> brokers.send(view, broker, part, version, true)
                .whenComplete((reply, error) -> {
                    boolean decisive;
                    synchronized (answer) {
                        if (answer.isDone()) {
                            return;
                        }
                        decisive = merge(slots.get(broker), (FetchResponseData) reply, error);
                    }
                    if (decisive || outstanding.decrementAndGet() == 0) {
                        synchronized (answer) {
                            answer.complete(response);
                        }
                    }
                }));
        return answer;
    }

    private static FetchRequestData subRequest(FetchRequestData request) {
        return new FetchRequestData()
                .setReplicaId(request.replicaId())
                .setReplicaState(request.replicaState().duplicate())
                .setMaxWaitMs(request.maxWaitMs())
                .setMinBytes(request.minBytes())
                .setMaxBytes(request.maxBytes())
                .setIsolationLevel(request.isolationLevel())
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setRackId(request.rackId());
    }

    private static PartitionData empty(int partition) {
        return new PartitionData()
                .setPartitionIndex(partition)
                .setErrorCode(Errors.NONE.code())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setAbortedTransactions(null)
                .setPreferredReadReplica(-1)
                .setRecords(RecordBytes.empty());
    }

    /** Copies a broker's answers into their slots; true when they carry data or an error worth answering now. */
    private boolean merge(List<PartitionData> slots, FetchResponseData reply, Throwable error) {
        if (error != null || reply == null || reply.errorCode() != Errors.NONE.code()) {
            slots.forEach(s -> s.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
            metadata.refresh();
            return true;
        }
        int i = 0;
        boolean decisive = false;
        for (FetchableTopicResponse topic : reply.responses()) {
            for (PartitionData p : topic.partitions()) {
                PartitionData slot = slots.get(i++);
                slot.setErrorCode(p.errorCode())
                        .setHighWatermark(p.highWatermark())
                        .setLastStableOffset(p.lastStableOffset())
                        .setLogStartOffset(p.logStartOffset())
                        .setAbortedTransactions(p.abortedTransactions())
                        .setRecords(p.records());
                decisive |= p.errorCode() != Errors.NONE.code() || RecordBytes.bytes(p.records()).hasRemaining();
                if (p.errorCode() == Errors.NOT_LEADER_OR_FOLLOWER.code()
                        || p.errorCode() == Errors.FENCED_LEADER_EPOCH.code()) {
                    metadata.refresh();
                }
            }
        }
        return decisive;
    }
}
