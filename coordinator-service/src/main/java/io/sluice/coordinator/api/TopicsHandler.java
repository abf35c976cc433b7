package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.CoordinatorConfig;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;

/** CreateTopics, DeleteTopics and CreatePartitions, each topic answered on its own. */
final class TopicsHandler {

    private final ClusterState state;
    private final CoordinatorConfig.Coordinator config;

    TopicsHandler(ClusterState state, CoordinatorConfig.Coordinator config) {
        this.state = state;
        this.config = config;
    }

    CompletableFuture<ApiMessage> create(CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(Uuid.ZERO_UUID)
                    .setNumPartitions(-1)
                    .setReplicationFactor((short) -1);
            response.topics().add(result);
            if (!topic.assignments().isEmpty()) {
                fail(result, new InvalidRequestException("explicit replica assignments are not supported"));
                continue;
            }
            int partitions = topic.numPartitions() == -1 ? config.defaultPartitions() : topic.numPartitions();
            int rf = topic.replicationFactor() == -1
                    ? Math.max(1, Math.min(config.defaultReplicationFactor(), state.liveBrokers().size()))
                    : topic.replicationFactor();
            Map<String, String> configs = new HashMap<>();
            topic.configs().forEach(c -> configs.put(c.name(), c.value()));
            work.add(state.createTopic(topic.name(), partitions, rf, configs, request.validateOnly())
                    .whenComplete((created, error) -> {
                        if (error != null) {
                            fail(result, error);
                            return;
                        }
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
                                                ? ConfigSources.TOPIC
                                                : ConfigSources.DEFAULT)));
                    }));
        }
        return Failures.afterAll(work, response);
    }

    private static void fail(CreateTopicsResponseData.CreatableTopicResult result, Throwable error) {
        result.setErrorCode(Failures.code(error).code()).setErrorMessage(Failures.message(error));
    }

    CompletableFuture<ApiMessage> delete(DeleteTopicsRequestData request) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        List<CompletableFuture<?>> work = new ArrayList<>();
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
            work.add(state.deleteTopic(name).whenComplete((deleted, error) -> {
                if (error != null) {
                    result.setErrorCode(Failures.code(error).code()).setErrorMessage(Failures.message(error));
                } else {
                    result.setTopicId(Uuid.fromString(deleted.id()));
                }
            }));
        }
        return Failures.afterAll(work, response);
    }

    CompletableFuture<ApiMessage> createPartitions(CreatePartitionsRequestData request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult result = new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                    .setName(topic.name());
            response.results().add(result);
            if (topic.assignments() != null && !topic.assignments().isEmpty()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("explicit replica assignments are not supported");
                continue;
            }
            work.add(state.growPartitions(topic.name(), topic.count(), request.validateOnly())
                    .whenComplete((grown, error) -> {
                        if (error != null) {
                            result.setErrorCode(Failures.code(error).code()).setErrorMessage(Failures.message(error));
                        }
                    }));
        }
        return Failures.afterAll(work, response);
    }
}
