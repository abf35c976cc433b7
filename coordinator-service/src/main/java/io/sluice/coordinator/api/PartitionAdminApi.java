package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.ElectionResult;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.protocol.codec.ErrorResponses;

/**
 * ElectLeaders, ListPartitionReassignments and AlterPartitionReassignments, with Kafka's answers as far as they apply
 * to a store whose replicas are the owners of a partition's data. Those replicas are placed by the store's
 * consistent hash and move by themselves when brokers join or leave, so no reassignment is ever asked for or in
 * progress: one naming the current replicas changes nothing, any other is refused. A request naming more than
 * {@value #MAX_PARTITIONS_PER_REQUEST} partitions is refused as a whole before anything is done for it.
 */
final class PartitionAdminApi {

    /** The most partitions one request may name, as for the topic APIs. */
    static final int MAX_PARTITIONS_PER_REQUEST = TopicAdminApi.MAX_PARTITIONS_PER_REQUEST;
    private static final String PLACED_BY_THE_STORE = "Sluice places replicas itself: a partition's replicas are the"
            + " owners of its data in the brokers' store, which move by themselves when brokers join or leave.";

    private final ClusterState state;

    PartitionAdminApi(ClusterState state) {
        this.state = state;
    }

    /**
     * Kafka's controller's answer: each partition named is answered (ELECTION_NOT_NEEDED where its leader already is
     * the one the election would pick); with no partitions named (null) every partition is elected, and only those
     * that needed it are answered. An unknown election type, or too many partitions, is an invalid request.
     */
    CompletableFuture<ApiMessage> electLeaders(ElectLeadersRequestData request, short version) {
        ElectionType type;
        try {
            type = ElectionType.valueOf(request.electionType());
        } catch (IllegalArgumentException unknown) {
            return CompletableFuture.completedFuture(ErrorResponses.of(request, version, Errors.INVALID_REQUEST));
        }
        boolean every = request.topicPartitions() == null;
        Map<String, Set<Integer>> asked = null;
        if (!every) {
            long named = request.topicPartitions().stream().mapToLong(t -> t.partitions().size()).sum();
            if (named > MAX_PARTITIONS_PER_REQUEST) {
                return CompletableFuture.completedFuture(ErrorResponses.of(request, version, Errors.INVALID_REQUEST));
            }
            asked = new LinkedHashMap<>();
            for (ElectLeadersRequestData.TopicPartitions topic : request.topicPartitions()) {
                asked.computeIfAbsent(topic.topic(), name -> new LinkedHashSet<>()).addAll(topic.partitions());
            }
        }
        return state.electLeaders(type, asked).thenApply(results -> {
            ElectLeadersResponseData response = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
            Map<String, ElectLeadersResponseData.ReplicaElectionResult> byTopic = new LinkedHashMap<>();
            for (ElectionResult result : results) {
                ElectLeadersResponseData.ReplicaElectionResult topic = byTopic.computeIfAbsent(result.topic(),
                        name -> new ElectLeadersResponseData.ReplicaElectionResult().setTopic(name));
                if (every && result.error() == Errors.ELECTION_NOT_NEEDED) {
                    continue;
                }
                topic.partitionResult().add(new ElectLeadersResponseData.PartitionResult()
                        .setPartitionId(result.partition())
                        .setErrorCode(result.error().code())
                        .setErrorMessage(result.message()));
            }
            response.replicaElectionResults().addAll(byTopic.values());
            return response;
        });
    }

    /** No reassignment is ever in progress: the store moves the owners of data by itself, and none is asked for. */
    CompletableFuture<ApiMessage> listReassignments() {
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code()));
    }

    /**
     * Each partition on its own: the current replicas, in their order, change nothing (NONE); other replicas are
     * INVALID_REPLICA_ASSIGNMENT; a cancellation (null replicas) NO_REASSIGNMENT_IN_PROGRESS; an unknown topic or
     * partition UNKNOWN_TOPIC_OR_PARTITION.
     */
    CompletableFuture<ApiMessage> alterReassignments(AlterPartitionReassignmentsRequestData request, short version) {
        long named = request.topics().stream().mapToLong(t -> t.partitions().size()).sum();
        if (named > MAX_PARTITIONS_PER_REQUEST) {
            return CompletableFuture.completedFuture(ErrorResponses.of(request, version, Errors.INVALID_REQUEST));
        }
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code());
        for (AlterPartitionReassignmentsRequestData.ReassignableTopic asked : request.topics()) {
            Optional<TopicRecord> topic = state.topic(asked.name());
            List<AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse> answers = new ArrayList<>(
                    asked.partitions().size());
            for (AlterPartitionReassignmentsRequestData.ReassignablePartition partition : asked.partitions()) {
                answers.add(reassign(asked.name(), topic, partition));
            }
            response.responses().add(new AlterPartitionReassignmentsResponseData.ReassignableTopicResponse()
                    .setName(asked.name())
                    .setPartitions(answers));
        }
        return CompletableFuture.completedFuture(response);
    }

    private static AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse reassign(String name,
            Optional<TopicRecord> topic, AlterPartitionReassignmentsRequestData.ReassignablePartition asked) {
        AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse answer = new AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse()
                .setPartitionIndex(asked.partitionIndex())
                .setErrorCode(Errors.NONE.code());
        int index = asked.partitionIndex();
        if (topic.isEmpty() || index < 0 || index >= topic.get().partitions().size()) {
            return answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage(topic.isEmpty() ? "Unable to find a topic named " + name + "."
                            : "Unable to find partition " + name + ":" + index + ".");
        }
        PartitionRecord current = topic.get().partitions().get(index);
        if (asked.replicas() == null) {
            return answer.setErrorCode(Errors.NO_REASSIGNMENT_IN_PROGRESS.code())
                    .setErrorMessage("No reassignment of " + name + "-" + index + " is in progress: "
                            + PLACED_BY_THE_STORE);
        }
        if (!asked.replicas().equals(current.replicas())) {
            return answer.setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code())
                    .setErrorMessage(PLACED_BY_THE_STORE + " The replicas of " + name + "-" + index + " are "
                            + current.replicas() + ".");
        }
        return answer;
    }
}
