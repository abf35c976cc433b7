package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;

/** Produce: each leader gets its partitions' batches untouched; with acks=0 nobody answers. */
final class ProduceMessages implements
        PartitionwiseMessages<ProduceRequestData, TopicProduceData, PartitionProduceData, ProduceResponseData, PartitionProduceResponse> {

    private static final ApiError NO_ANSWER = new ApiError(Errors.REQUEST_TIMED_OUT,
            "the partition leader did not answer: the records may have been written");

    @Override
    public Collection<TopicProduceData> topics(ProduceRequestData request) {
        return request.topicData();
    }

    @Override
    public List<PartitionProduceData> partitions(TopicProduceData topic) {
        return topic.partitionData();
    }

    @Override
    public Route route(ClusterView view, TopicProduceData topic, PartitionProduceData partition) {
        return Route.of(view, topic.name(), topic.topicId(), partition.index());
    }

    @Override
    public ProduceRequestData emptyPart(ProduceRequestData request) {
        return new ProduceRequestData()
                .setAcks(request.acks())
                .setTimeoutMs(request.timeoutMs())
                .setTransactionalId(request.transactionalId());
    }

    @Override
    public List<PartitionProduceData> addTopic(ProduceRequestData part, TopicProduceData topic) {
        TopicProduceData partTopic = new TopicProduceData().setName(topic.name()).setTopicId(topic.topicId());
        part.topicData().add(partTopic);
        return partTopic.partitionData();
    }

    @Override
    public boolean expectsAnswer(ProduceRequestData request) {
        return request.acks() != 0;
    }

    @Override
    public ProduceResponseData emptyAnswer(ProduceRequestData request) {
        return new ProduceResponseData();
    }

    @Override
    public List<PartitionProduceResponse> addTopicAnswer(ProduceResponseData answer, TopicProduceData topic) {
        TopicProduceResponse topicAnswer = new TopicProduceResponse().setName(topic.name())
                .setTopicId(topic.topicId());
        answer.responses().add(topicAnswer);
        return topicAnswer.partitionResponses();
    }

    @Override
    public PartitionProduceResponse unanswered(PartitionProduceData partition) {
        return new PartitionProduceResponse().setIndex(partition.index());
    }

    /**
     * Records the leader may have written: REQUEST_TIMED_OUT, as Kafka answers a write whose replication timed out.
     * Clients retry it with the same sequence numbers; NOT_LEADER_OR_FOLLOWER would tell librdkafka they were not
     * written, and its idempotent producer would move its sequence on and fail with OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    @Override
    public ApiError noAnswer() {
        return NO_ANSWER;
    }

    @Override
    public void fail(PartitionProduceResponse answer, ApiError error) {
        answer.setErrorCode(error.error().code()).setErrorMessage(error.message()).setBaseOffset(-1);
    }

    @Override
    public List<PartitionProduceResponse> partitionAnswers(ProduceResponseData response) {
        return response.responses().stream().flatMap(topic -> topic.partitionResponses().stream()).toList();
    }

    @Override
    public void copy(PartitionProduceResponse from, PartitionProduceResponse to) {
        to.setErrorCode(from.errorCode())
                .setErrorMessage(from.errorMessage())
                .setBaseOffset(from.baseOffset())
                .setLogAppendTimeMs(from.logAppendTimeMs())
                .setLogStartOffset(from.logStartOffset())
                .setRecordErrors(from.recordErrors());
    }

    @Override
    public short errorCode(PartitionProduceResponse answer) {
        return answer.errorCode();
    }
}
