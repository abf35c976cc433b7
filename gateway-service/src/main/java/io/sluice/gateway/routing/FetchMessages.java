package io.sluice.gateway.routing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.record.BatchRecords;

/**
 * Fetch: every leader is long-polled at once, and the client is answered as soon as one brings data or an error
 * (partitions still waiting answer empty and are fetched again: the same part still awaited from a leader is not sent
 * again, and its answer serves the next fetch, as does data that came too late for the fetch that asked), or when all
 * have answered. No fetch sessions:
 * session id 0, every partition in every response. Topics are named by id from v13.
 */
final class FetchMessages
        implements PartitionwiseMessages<FetchRequestData, FetchTopic, FetchPartition, FetchResponseData, PartitionData> {

    private final boolean shareMaxBytes;

    /**
     * @param shareMaxBytes whether the leaders share the request's maxBytes (a client's fetch, which it bounds) or
     *        each may bring that much (the HTTP API's reads, which bound the records they give out themselves)
     */
    FetchMessages(boolean shareMaxBytes) {
        this.shareMaxBytes = shareMaxBytes;
    }

    @Override
    public Collection<FetchTopic> topics(FetchRequestData request) {
        return request.topics();
    }

    @Override
    public List<FetchPartition> partitions(FetchTopic topic) {
        return topic.partitions();
    }

    @Override
    public Route route(ClusterView view, FetchTopic topic, FetchPartition partition) {
        return Route.of(view, topic.topic(), topic.topicId(), partition.partition());
    }

    @Override
    public FetchRequestData emptyPart(FetchRequestData request) {
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

    @Override
    public List<FetchPartition> addTopic(FetchRequestData part, FetchTopic topic) {
        FetchTopic partTopic = new FetchTopic().setTopic(topic.topic()).setTopicId(topic.topicId());
        part.topics().add(partTopic);
        return partTopic.partitions();
    }

    @Override
    public boolean joinsAwaitedPart() {
        return true;
    }

    /** Data without errors, read and not delivered: the client's next fetch asks for exactly it. */
    @Override
    public boolean worthHolding(FetchResponseData response) {
        if (response.errorCode() != Errors.NONE.code()) {
            return false;
        }
        List<PartitionData> answers = partitionAnswers(response);
        return answers.stream().allMatch(p -> p.errorCode() == Errors.NONE.code())
                && answers.stream().anyMatch(p -> BatchRecords.bytes(p.records()).hasRemaining());
    }

    @Override
    public void share(FetchRequestData part, FetchRequestData request, int leaders) {
        if (shareMaxBytes) {
            part.setMaxBytes(Math.max(1, request.maxBytes() / leaders));
        }
    }

    @Override
    public void stopWaiting(FetchRequestData part) {
        part.setMaxWaitMs(0);
    }

    @Override
    public FetchResponseData emptyAnswer(FetchRequestData request) {
        return new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
    }

    @Override
    public List<PartitionData> addTopicAnswer(FetchResponseData answer, FetchTopic topic) {
        FetchableTopicResponse topicAnswer = new FetchableTopicResponse().setTopic(topic.topic())
                .setTopicId(topic.topicId());
        answer.responses().add(topicAnswer);
        return topicAnswer.partitions();
    }

    @Override
    public PartitionData unanswered(FetchPartition partition) {
        return new PartitionData()
                .setPartitionIndex(partition.partition())
                .setErrorCode(Errors.NONE.code())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setAbortedTransactions(null)
                .setPreferredReadReplica(-1)
                .setRecords(BatchRecords.empty());
    }

    @Override
    public void fail(PartitionData answer, ApiError error) {
        answer.setErrorCode(error.error().code());
    }

    @Override
    public Errors error(FetchResponseData response) {
        return Errors.forCode(response.errorCode());
    }

    @Override
    public List<PartitionData> partitionAnswers(FetchResponseData response) {
        return response.responses().stream().flatMap(topic -> topic.partitions().stream()).toList();
    }

    @Override
    public void copy(PartitionData from, PartitionData to) {
        to.setErrorCode(from.errorCode())
                .setHighWatermark(from.highWatermark())
                .setLastStableOffset(from.lastStableOffset())
                .setLogStartOffset(from.logStartOffset())
                .setAbortedTransactions(from.abortedTransactions())
                .setRecords(from.records());
    }

    @Override
    public short errorCode(PartitionData answer) {
        return answer.errorCode();
    }

    @Override
    public boolean answerAtOnce(PartitionData answer) {
        return answer.errorCode() != Errors.NONE.code() || BatchRecords.bytes(answer.records()).hasRemaining();
    }
}
