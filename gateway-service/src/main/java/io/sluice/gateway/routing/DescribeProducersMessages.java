package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;

/** DescribeProducers: each leader tells the producers of its partitions. */
final class DescribeProducersMessages implements
        PartitionwiseMessages<DescribeProducersRequestData, TopicRequest, Integer, DescribeProducersResponseData, PartitionResponse> {

    @Override
    public Collection<TopicRequest> topics(DescribeProducersRequestData request) {
        return request.topics();
    }

    @Override
    public List<Integer> partitions(TopicRequest topic) {
        return topic.partitionIndexes();
    }

    @Override
    public Route route(ClusterView view, TopicRequest topic, Integer partition) {
        return Route.of(view, topic.name(), null, partition);
    }

    @Override
    public DescribeProducersRequestData emptyPart(DescribeProducersRequestData request) {
        return new DescribeProducersRequestData();
    }

    @Override
    public List<Integer> addTopic(DescribeProducersRequestData part, TopicRequest topic) {
        TopicRequest partTopic = new TopicRequest().setName(topic.name());
        part.topics().add(partTopic);
        return partTopic.partitionIndexes();
    }

    @Override
    public DescribeProducersResponseData emptyAnswer(DescribeProducersRequestData request) {
        return new DescribeProducersResponseData();
    }

    @Override
    public Collection<PartitionResponse> addTopicAnswer(DescribeProducersResponseData answer, TopicRequest topic) {
        TopicResponse topicAnswer = new TopicResponse().setName(topic.name());
        answer.topics().add(topicAnswer);
        return topicAnswer.partitions();
    }

    @Override
    public PartitionResponse unanswered(Integer partition) {
        return new PartitionResponse().setPartitionIndex(partition);
    }

    @Override
    public void fail(PartitionResponse answer, ApiError error) {
        answer.setErrorCode(error.error().code()).setErrorMessage(error.message());
    }

    @Override
    public List<PartitionResponse> partitionAnswers(DescribeProducersResponseData response) {
        return response.topics().stream().flatMap(topic -> topic.partitions().stream()).toList();
    }

    @Override
    public void copy(PartitionResponse from, PartitionResponse to) {
        to.setErrorCode(from.errorCode()).setErrorMessage(from.errorMessage())
                .setActiveProducers(from.activeProducers());
    }

    @Override
    public short errorCode(PartitionResponse answer) {
        return answer.errorCode();
    }
}
