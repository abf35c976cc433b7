package io.sluice.coordinator.api;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;

/** DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics; brokers describe as empty. */
final class ConfigAdminApi {

    private final ClusterState state;

    ConfigAdminApi(ClusterState state) {
        this.state = state;
    }

    CompletableFuture<ApiMessage> describe(DescribeConfigsRequestData request) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            if (!isTopic(resource.resourceType())) {
                continue;
            }
            Optional<TopicRecord> topic = state.topic(resource.resourceName());
            if (topic.isEmpty()) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("topic '" + resource.resourceName() + "' does not exist");
                continue;
            }
            Map<String, String> set = topic.get().configs();
            TopicConfigs.effective(set).forEach((name, value) -> {
                if (resource.configurationKeys() != null && !resource.configurationKeys().contains(name)) {
                    return;
                }
                boolean isSet = set.containsKey(name);
                result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName(name)
                        .setValue(value)
                        .setReadOnly(false)
                        .setIsSensitive(false)
                        .setConfigSource(isSet ? ConfigSource.TOPIC_CONFIG.id() : ConfigSource.DEFAULT_CONFIG.id())
                        .setConfigType((byte) (TopicConfigs.type(name).ordinal() + 1))
                        .setDocumentation(request.includeDocumentation() ? TopicConfigs.doc(name) : null));
            });
        }
        return CompletableFuture.completedFuture(response);
    }

    /** AlterConfigs: the configs named become the topic's whole set. */
    CompletableFuture<ApiMessage> alter(AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        ResourceChanges changes = new ResourceChanges();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.responses().add(result);
            changes.add(replace(resource, request.validateOnly()),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    private CompletableFuture<TopicRecord> replace(AlterConfigsRequestData.AlterConfigsResource resource,
            boolean validateOnly) {
        if (!isTopic(resource.resourceType())) {
            return onlyTopics();
        }
        Map<String, String> configs = new HashMap<>();
        resource.configs().forEach(c -> configs.put(c.name(), c.value()));
        return state.setConfigs(resource.resourceName(), configs, validateOnly);
    }

    /** IncrementalAlterConfigs: each config named is set, deleted, or has list items appended or subtracted. */
    CompletableFuture<ApiMessage> incrementalAlter(IncrementalAlterConfigsRequestData request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        ResourceChanges changes = new ResourceChanges();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result = new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.responses().add(result);
            changes.add(change(resource, request.validateOnly()),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    private CompletableFuture<TopicRecord> change(IncrementalAlterConfigsRequestData.AlterConfigsResource resource,
            boolean validateOnly) {
        if (!isTopic(resource.resourceType())) {
            return onlyTopics();
        }
        Optional<TopicRecord> topic = state.topic(resource.resourceName());
        if (topic.isEmpty()) {
            // the code alone: the message stays empty, the result's default
            return CompletableFuture.failedFuture(new UnknownTopicOrPartitionException(""));
        }
        Optional<Byte> unknown = resource.configs().stream()
                .map(IncrementalAlterConfigsRequestData.AlterableConfig::configOperation)
                .filter(op -> OpType.forId(op) == null)
                .reduce((first, last) -> last);
        if (unknown.isPresent()) {
            return CompletableFuture.failedFuture(
                    new InvalidRequestException("unknown config operation " + unknown.get()));
        }
        Map<String, String> configs = new HashMap<>(topic.get().configs());
        Map<String, String> effective = TopicConfigs.effective(topic.get().configs());
        for (IncrementalAlterConfigsRequestData.AlterableConfig change : resource.configs()) {
            OpType op = OpType.forId(change.configOperation());
            switch (op) {
                case SET -> configs.put(change.name(), change.value());
                case DELETE -> configs.remove(change.name());
                case APPEND, SUBTRACT -> configs.put(change.name(),
                        listChange(effective.get(change.name()), change.value(), op == OpType.APPEND));
            }
        }
        return state.setConfigs(resource.resourceName(), configs, validateOnly);
    }

    private static boolean isTopic(byte resourceType) {
        return resourceType == ConfigResource.Type.TOPIC.id();
    }

    private static <T> CompletableFuture<T> onlyTopics() {
        return CompletableFuture.failedFuture(new InvalidRequestException("only topic configs can change"));
    }

    private static String listChange(String current, String values, boolean append) {
        Set<String> items = new LinkedHashSet<>();
        if (current != null && !current.isBlank()) {
            items.addAll(Arrays.asList(current.split(",")));
        }
        List<String> change = values == null ? List.of() : Arrays.asList(values.split(","));
        if (append) {
            items.addAll(change);
        } else {
            items.removeAll(change);
        }
        return String.join(",", items);
    }
}
