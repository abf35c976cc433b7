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

/** CreateTopics, DeleteTopics and CreatePartitions, each topic answered on its own. */
final class TopicAdminApi {

    /** CreateTopics' partition count or replication factor that asks for the default. */
    private static final int DEFAULT = -1;
    private static final String NO_ASSIGNMENTS = "explicit replica assignments are not supported";

    private final ClusterState state;
    private final TopicDefaults defaults;

    TopicAdminApi(ClusterState state, TopicDefaults defaults) {
        this.state = state;
        this.defaults = defaults;
    }

    CompletableFuture<ApiMessage> create(CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        ResourceChanges changes = new ResourceChanges();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(Uuid.ZERO_UUID)
                    .setNumPartitions(-1)
                    .setReplicationFactor((short) -1);
            response.topics().add(result);
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
        ResourceChanges changes = new ResourceChanges();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult result = new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                    .setName(topic.name());
            response.results().add(result);
            if (topic.assignments() != null && !topic.assignments().isEmpty()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NO_ASSIGNMENTS);
                continue;
            }
            changes.add(state.growPartitions(topic.name(), topic.count(), request.validateOnly()),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }
}
