package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;

/**
 * CreateTopics, DeleteTopics and CreatePartitions, each topic answered on its own. What a request asks for is checked
 * before anything is allocated for it: a request that would add more than {@value #MAX_PARTITIONS_PER_REQUEST}
 * partitions is refused as a whole, as Kafka's controller refuses it.
 */
final class TopicAdminApi {

    /** CreateTopics' partition count or replication factor that asks for the default. */
    private static final int DEFAULT = -1;
    /** The most partitions one CreateTopics or CreatePartitions request may add (Kafka's own limit). */
    static final int MAX_PARTITIONS_PER_REQUEST = 10_000;
    /** The most topics one CreateTopics request may name: each would need a partition at least. */
    static final int MAX_TOPICS_PER_REQUEST = MAX_PARTITIONS_PER_REQUEST;
    private static final String NO_ASSIGNMENTS = "explicit replica assignments are not supported";

    private final ClusterState state;
    private final TopicDefaults defaults;

    TopicAdminApi(ClusterState state, TopicDefaults defaults) {
        this.state = state;
        this.defaults = defaults;
    }

    CompletableFuture<ApiMessage> create(CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        long asked = request.topics().stream().mapToLong(this::partitionsAsked).sum();
        String tooMuch = request.topics().size() > MAX_TOPICS_PER_REQUEST
                ? "Excessively large number of topics per request: " + request.topics().size() + ", at most "
                        + MAX_TOPICS_PER_REQUEST + " may be created in one request."
                : asked > MAX_PARTITIONS_PER_REQUEST ? tooManyPartitions(asked) : null;
        ResourceChanges changes = new ResourceChanges();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(Uuid.ZERO_UUID)
                    .setNumPartitions(-1)
                    .setReplicationFactor((short) -1);
            response.topics().add(result);
            if (tooMuch != null) {
                result.setErrorCode(Errors.POLICY_VIOLATION.code()).setErrorMessage(tooMuch);
                continue;
            }
            if (!topic.assignments().isEmpty()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NO_ASSIGNMENTS);
                continue;
            }
            int partitions = topic.numPartitions() == DEFAULT ? defaults.partitions() : topic.numPartitions();
            int replicationFactor = topic.replicationFactor() == DEFAULT
                    ? defaults.replicationFactorFor(state.liveBrokers().size())
                    : topic.replicationFactor();
            Map<String, String> configs = new HashMap<>();
            topic.configs().forEach(c -> configs.put(c.name(), c.value()));
            changes.add(state.createTopic(topic.name(), partitions, replicationFactor, configs, request.validateOnly()),
                    created -> created(result, created),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    /** The partitions a topic of CreateTopics would get, as Kafka counts them for its limit per request. */
    private long partitionsAsked(CreateTopicsRequestData.CreatableTopic topic) {
        if (!topic.assignments().isEmpty()) {
            return topic.assignments().size();
        }
        return topic.numPartitions() == DEFAULT ? defaults.partitions() : Math.max(0, topic.numPartitions());
    }

    private static String tooManyPartitions(long asked) {
        return "Excessively large number of partitions per request: " + asked + " asked for, at most "
                + MAX_PARTITIONS_PER_REQUEST + " may be added in one request.";
    }

    private static void created(CreateTopicsResponseData.CreatableTopicResult result, TopicRecord created) {
        result.setTopicId(Uuid.fromString(created.id()))
                .setNumPartitions(created.partitions().size())
                .setReplicationFactor((short) created.replicationFactor());
        TopicConfigs.effective(created.configs()).forEach((name, value) -> result.configs().add(
                new CreateTopicsResponseData.CreatableTopicConfigs()
                        .setName(name)
                        .setValue(value)
                        .setReadOnly(false)
                        .setIsSensitive(false)
                        .setConfigSource(created.configs().containsKey(name)
                                ? ConfigSource.TOPIC_CONFIG.id()
                                : ConfigSource.DEFAULT_CONFIG.id())));
    }

    CompletableFuture<ApiMessage> delete(DeleteTopicsRequestData request) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        ResourceChanges changes = new ResourceChanges();
        List<DeleteTopicsRequestData.DeleteTopicState> targets = new ArrayList<>(request.topics());
        request.topicNames().forEach(name -> targets.add(new DeleteTopicsRequestData.DeleteTopicState()
                .setName(name).setTopicId(Uuid.ZERO_UUID)));
        for (DeleteTopicsRequestData.DeleteTopicState target : targets) {
            DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(target.name())
                    .setTopicId(target.topicId() == null ? Uuid.ZERO_UUID : target.topicId());
            response.responses().add(result);
            String name = target.name();
            if (name == null) {
                TopicRecord byId = state.topic(target.topicId()).orElse(null);
                if (byId == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                    continue;
                }
                name = byId.name();
                result.setName(name);
            }
            changes.add(state.deleteTopic(name),
                    deleted -> result.setTopicId(Uuid.fromString(deleted.id())),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    CompletableFuture<ApiMessage> createPartitions(CreatePartitionsRequestData request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        long added = request.topics().stream().mapToLong(this::partitionsAdded).sum();
        ResourceChanges changes = new ResourceChanges();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult result = new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                    .setName(topic.name());
            response.results().add(result);
            if (added > MAX_PARTITIONS_PER_REQUEST) {
                result.setErrorCode(Errors.POLICY_VIOLATION.code()).setErrorMessage(tooManyPartitions(added));
                continue;
            }
            if (topic.assignments() != null && !topic.assignments().isEmpty()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NO_ASSIGNMENTS);
                continue;
            }
            changes.add(state.growPartitions(topic.name(), topic.count(), request.validateOnly()),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    /** The partitions CreatePartitions would add to a topic: none to an unknown topic, which is refused anyway. */
    private long partitionsAdded(CreatePartitionsRequestData.CreatePartitionsTopic topic) {
        return state.topic(topic.name()).map(t -> Math.max(0, (long) topic.count() - t.partitions().size()))
                .orElse(0L);
    }
}
