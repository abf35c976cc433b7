package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;

/** OffsetForLeaderEpoch: each leader finds where its partitions' epochs end. */
final class OffsetForLeaderEpochMessages implements
        PartitionwiseMessages<OffsetForLeaderEpochRequestData, OffsetForLeaderTopic, OffsetForLeaderPartition, OffsetForLeaderEpochResponseData, EpochEndOffset> {

    @Override
    public Collection<OffsetForLeaderTopic> topics(OffsetForLeaderEpochRequestData request) {
        return request.topics();
    }

    @Override
    public List<OffsetForLeaderPartition> partitions(OffsetForLeaderTopic topic) {
        return topic.partitions();
    }

    @Override
    public Route route(ClusterView view, OffsetForLeaderTopic topic, OffsetForLeaderPartition partition) {
        return Route.of(view, topic.topic(), null, partition.partition());
    }

    @Override
    public OffsetForLeaderEpochRequestData emptyPart(OffsetForLeaderEpochRequestData request) {
        return new OffsetForLeaderEpochRequestData().setReplicaId(request.replicaId());
    }

    @Override
    public List<OffsetForLeaderPartition> addTopic(OffsetForLeaderEpochRequestData part, OffsetForLeaderTopic topic) {
        OffsetForLeaderTopic partTopic = new OffsetForLeaderTopic().setTopic(topic.topic());
        part.topics().add(partTopic);
        return partTopic.partitions();
    }

    @Override
    public OffsetForLeaderEpochResponseData emptyAnswer(OffsetForLeaderEpochRequestData request) {
        return new OffsetForLeaderEpochResponseData();
    }

    @Override
    public List<EpochEndOffset> addTopicAnswer(OffsetForLeaderEpochResponseData answer, OffsetForLeaderTopic topic) {
        OffsetForLeaderTopicResult topicAnswer = new OffsetForLeaderTopicResult().setTopic(topic.topic());
        answer.topics().add(topicAnswer);
        return topicAnswer.partitions();
    }

    @Override
    public EpochEndOffset unanswered(OffsetForLeaderPartition partition) {
        return new EpochEndOffset().setPartition(partition.partition()).setLeaderEpoch(-1).setEndOffset(-1);
    }

    @Override
    public void fail(EpochEndOffset answer, ApiError error) {
        answer.setErrorCode(error.error().code());
    }

    @Override
    public List<EpochEndOffset> partitionAnswers(OffsetForLeaderEpochResponseData response) {
        return response.topics().stream().flatMap(topic -> topic.partitions().stream()).toList();
    }

    @Override
    public void copy(EpochEndOffset from, EpochEndOffset to) {
        to.setErrorCode(from.errorCode()).setLeaderEpoch(from.leaderEpoch()).setEndOffset(from.endOffset());
    }

    @Override
    public short errorCode(EpochEndOffset answer) {
        return answer.errorCode();
    }
}
