package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;

/** ListOffsets: each leader finds the offsets of its partitions. */
final class ListOffsetsMessages implements
        PartitionwiseMessages<ListOffsetsRequestData, ListOffsetsTopic, ListOffsetsPartition, ListOffsetsResponseData, ListOffsetsPartitionResponse> {

    @Override
    public Collection<ListOffsetsTopic> topics(ListOffsetsRequestData request) {
        return request.topics();
    }

    @Override
    public List<ListOffsetsPartition> partitions(ListOffsetsTopic topic) {
        return topic.partitions();
    }

    @Override
    public Route route(ClusterView view, ListOffsetsTopic topic, ListOffsetsPartition partition) {
        return Route.of(view, topic.name(), null, partition.partitionIndex());
    }

    @Override
    public ListOffsetsRequestData emptyPart(ListOffsetsRequestData request) {
        return new ListOffsetsRequestData()
                .setReplicaId(request.replicaId())
                .setIsolationLevel(request.isolationLevel())
                .setTimeoutMs(request.timeoutMs());
    }

    @Override
    public List<ListOffsetsPartition> addTopic(ListOffsetsRequestData part, ListOffsetsTopic topic) {
        ListOffsetsTopic partTopic = new ListOffsetsTopic().setName(topic.name());
        part.topics().add(partTopic);
        return partTopic.partitions();
    }

    @Override
    public ListOffsetsResponseData emptyAnswer(ListOffsetsRequestData request) {
        return new ListOffsetsResponseData();
    }

    @Override
    public List<ListOffsetsPartitionResponse> addTopicAnswer(ListOffsetsResponseData answer, ListOffsetsTopic topic) {
        ListOffsetsTopicResponse topicAnswer = new ListOffsetsTopicResponse().setName(topic.name());
        answer.topics().add(topicAnswer);
        return topicAnswer.partitions();
    }

    @Override
    public ListOffsetsPartitionResponse unanswered(ListOffsetsPartition partition) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(partition.partitionIndex()).setOffset(-1)
                .setTimestamp(-1);
    }

    @Override
    public void fail(ListOffsetsPartitionResponse answer, ApiError error) {
        answer.setErrorCode(error.error().code());
    }

    @Override
    public List<ListOffsetsPartitionResponse> partitionAnswers(ListOffsetsResponseData response) {
        return response.topics().stream().flatMap(topic -> topic.partitions().stream()).toList();
    }

    @Override
    public void copy(ListOffsetsPartitionResponse from, ListOffsetsPartitionResponse to) {
        to.setErrorCode(from.errorCode())
                .setOffset(from.offset())
                .setTimestamp(from.timestamp())
                .setLeaderEpoch(from.leaderEpoch());
    }

    @Override
    public short errorCode(ListOffsetsPartitionResponse answer) {
        return answer.errorCode();
    }
}
