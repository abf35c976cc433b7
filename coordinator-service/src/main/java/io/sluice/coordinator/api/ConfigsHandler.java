package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;

/** DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics; brokers describe as empty. */
final class ConfigsHandler {

    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    private final ClusterState state;

    ConfigsHandler(ClusterState state) {
        this.state = state;
    }

    CompletableFuture<ApiMessage> describe(DescribeConfigsRequestData request) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            if (resource.resourceType() != ConfigResource.Type.TOPIC.id()) {
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
                        .setConfigSource(isSet ? ConfigSources.TOPIC : ConfigSources.DEFAULT)
                        .setConfigType((byte) (TopicConfigs.type(name).ordinal() + 1))
                        .setDocumentation(request.includeDocumentation() ? TopicConfigs.doc(name) : null));
            });
        }
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<ApiMessage> alter(AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.responses().add(result);
            if (resource.resourceType() != ConfigResource.Type.TOPIC.id()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("only topic configs can change");
                continue;
            }
            Map<String, String> configs = new HashMap<>();
            resource.configs().forEach(c -> configs.put(c.name(), c.value()));
            work.add(state.setConfigs(resource.resourceName(), configs, request.validateOnly())
                    .whenComplete((t, error) -> {
                        if (error != null) {
                            result.setErrorCode(Failures.code(error).code()).setErrorMessage(Failures.message(error));
                        }
                    }));
        }
        return Failures.afterAll(work, response);
    }

    CompletableFuture<ApiMessage> incrementalAlter(IncrementalAlterConfigsRequestData request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result = new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.responses().add(result);
            if (resource.resourceType() != ConfigResource.Type.TOPIC.id()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("only topic configs can change");
                continue;
            }
            Optional<TopicRecord> topic = state.topic(resource.resourceName());
            if (topic.isEmpty()) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                continue;
            }
            Map<String, String> configs = new HashMap<>(topic.get().configs());
            Map<String, String> effective = TopicConfigs.effective(topic.get().configs());
            for (IncrementalAlterConfigsRequestData.AlterableConfig change : resource.configs()) {
                switch (change.configOperation()) {
                    case SET -> configs.put(change.name(), change.value());
                    case DELETE -> configs.remove(change.name());
                    case APPEND, SUBTRACT -> configs.put(change.name(), listChange(effective.get(change.name()),
                            change.value(), change.configOperation() == APPEND));
                    default -> result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("unknown config operation " + change.configOperation());
                }
            }
            if (result.errorCode() != Errors.NONE.code()) {
                continue;
            }
            work.add(state.setConfigs(resource.resourceName(), configs, request.validateOnly())
                    .whenComplete((t, error) -> {
                        if (error != null) {
                            result.setErrorCode(Failures.code(error).code()).setErrorMessage(Failures.message(error));
                        }
                    }));
        }
        return Failures.afterAll(work, response);
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
