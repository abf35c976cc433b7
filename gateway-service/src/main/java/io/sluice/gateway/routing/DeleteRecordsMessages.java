package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;

/** DeleteRecords: each leader moves the log start of its partitions. */
final class DeleteRecordsMessages implements
        PartitionwiseMessages<DeleteRecordsRequestData, DeleteRecordsTopic, DeleteRecordsPartition, DeleteRecordsResponseData, DeleteRecordsPartitionResult> {

    @Override
    public Collection<DeleteRecordsTopic> topics(DeleteRecordsRequestData request) {
        return request.topics();
    }

    @Override
    public List<DeleteRecordsPartition> partitions(DeleteRecordsTopic topic) {
        return topic.partitions();
    }

    @Override
    public Route route(ClusterView view, DeleteRecordsTopic topic, DeleteRecordsPartition partition) {
        return Route.of(view, topic.name(), null, partition.partitionIndex());
    }

    @Override
    public DeleteRecordsRequestData emptyPart(DeleteRecordsRequestData request) {
        return new DeleteRecordsRequestData().setTimeoutMs(request.timeoutMs());
    }

    @Override
    public List<DeleteRecordsPartition> addTopic(DeleteRecordsRequestData part, DeleteRecordsTopic topic) {
        DeleteRecordsTopic partTopic = new DeleteRecordsTopic().setName(topic.name());
        part.topics().add(partTopic);
        return partTopic.partitions();
    }

    @Override
    public DeleteRecordsResponseData emptyAnswer(DeleteRecordsRequestData request) {
        return new DeleteRecordsResponseData();
    }

    @Override
    public Collection<DeleteRecordsPartitionResult> addTopicAnswer(DeleteRecordsResponseData answer,
            DeleteRecordsTopic topic) {
        DeleteRecordsTopicResult topicAnswer = new DeleteRecordsTopicResult().setName(topic.name());
        answer.topics().add(topicAnswer);
        return topicAnswer.partitions();
    }

    @Override
    public DeleteRecordsPartitionResult unanswered(DeleteRecordsPartition partition) {
        return new DeleteRecordsPartitionResult().setPartitionIndex(partition.partitionIndex()).setLowWatermark(-1);
    }

    @Override
    public void fail(DeleteRecordsPartitionResult answer, ApiError error) {
        answer.setErrorCode(error.error().code());
    }

    @Override
    public List<DeleteRecordsPartitionResult> partitionAnswers(DeleteRecordsResponseData response) {
        return response.topics().stream().flatMap(topic -> topic.partitions().stream()).toList();
    }

    @Override
    public void copy(DeleteRecordsPartitionResult from, DeleteRecordsPartitionResult to) {
        to.setErrorCode(from.errorCode()).setLowWatermark(from.lowWatermark());
    }

    @Override
    public short errorCode(DeleteRecordsPartitionResult answer) {
        return answer.errorCode();
    }
}
