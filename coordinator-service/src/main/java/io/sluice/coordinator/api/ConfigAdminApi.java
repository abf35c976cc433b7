package io.sluice.coordinator.api;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;

/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics; brokers describe as empty. Each resource is
 * answered on its own, with Kafka's checks of its shape first: a resource named twice, a config named twice, a value
 * missing, an unknown resource type or operation are each INVALID_REQUEST for that resource alone.
 */
final class ConfigAdminApi {

    private static final String DUPLICATE_RESOURCE = "Each resource must appear at most once.";

    private final ClusterState state;

    ConfigAdminApi(ClusterState state) {
        this.state = state;
    }

    /** A config resource as a request names it. */
    private record Resource(byte type, String name) {
    }

    /** A resource described twice is answered once; its repeats are refused, so no request multiplies its answer. */
    CompletableFuture<ApiMessage> describe(DescribeConfigsRequestData request) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        Set<Resource> described = new HashSet<>();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            try {
                if (!described.add(new Resource(resource.resourceType(), resource.resourceName()))) {
                    throw new InvalidRequestException(DUPLICATE_RESOURCE);
                }
                switch (ConfigResource.Type.forId(resource.resourceType())) {
                    case TOPIC -> describeTopic(resource, request.includeDocumentation(), result);
                    case BROKER -> checkBrokerName(resource.resourceName());
                    case UNKNOWN -> throw unknownType(resource.resourceType());
                    default -> {
                    }
                }
            } catch (ApiException e) {
                KafkaError error = KafkaError.of(e);
                result.setErrorCode(error.code()).setErrorMessage(error.message());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private void describeTopic(DescribeConfigsRequestData.DescribeConfigsResource resource,
            boolean includeDocumentation, DescribeConfigsResponseData.DescribeConfigsResult result) {
        Topic.validate(resource.resourceName());
        TopicRecord topic = state.topic(resource.resourceName()).orElseThrow(
                () -> new UnknownTopicOrPartitionException("topic '" + resource.resourceName() + "' does not exist"));
        Set<String> wanted = resource.configurationKeys() == null ? null : Set.copyOf(resource.configurationKeys());
        Map<String, String> set = topic.configs();
        TopicConfigs.effective(set).forEach((name, value) -> {
            if (wanted != null && !wanted.contains(name)) {
                return;
            }
            result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                    .setName(name)
                    .setValue(value)
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource(set.containsKey(name) ? ConfigSource.TOPIC_CONFIG.id()
                            : ConfigSource.DEFAULT_CONFIG.id())
                    .setConfigType((byte) (TopicConfigs.type(name).ordinal() + 1))
                    .setDocumentation(includeDocumentation ? TopicConfigs.doc(name) : null));
        });
    }

    /** A broker resource names the cluster (empty) or one broker by its id, as Kafka requires. */
    private static void checkBrokerName(String name) {
        if (!name.isEmpty() && !name.chars().allMatch(Character::isDigit)) {
            throw new InvalidRequestException("Broker id must be an integer, but it is: " + name);
        }
    }

    /** AlterConfigs: the configs named become the topic's whole set. */
    CompletableFuture<ApiMessage> alter(AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        Set<Resource> repeated = repeated(request.resources(),
                r -> new Resource(r.resourceType(), r.resourceName()));
        ResourceChanges changes = new ResourceChanges();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResponseData.AlterConfigsResourceResponse result = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.responses().add(result);
            boolean duplicate = repeated.contains(new Resource(resource.resourceType(), resource.resourceName()));
            changes.add(() -> duplicate ? refused(DUPLICATE_RESOURCE) : replace(resource, request.validateOnly()),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    private CompletableFuture<TopicRecord> replace(AlterConfigsRequestData.AlterConfigsResource resource,
            boolean validateOnly) {
        List<String> names = resource.configs().stream().map(AlterConfigsRequestData.AlterableConfig::name).toList();
        checkNoRepeats(names);
        checkValues(resource.configs().stream().filter(c -> c.value() == null)
                .map(AlterConfigsRequestData.AlterableConfig::name).toList());
        checkTopic(resource.resourceType(), resource.resourceName());
        state.existing(resource.resourceName());
        Map<String, String> configs = new HashMap<>();
        resource.configs().forEach(c -> configs.put(c.name(), c.value()));
        return state.setConfigs(resource.resourceName(), configs, validateOnly);
    }

    /** IncrementalAlterConfigs: each config named is set, deleted, or has list items appended or subtracted. */
    CompletableFuture<ApiMessage> incrementalAlter(IncrementalAlterConfigsRequestData request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        Set<Resource> repeated = repeated(request.resources(),
                r -> new Resource(r.resourceType(), r.resourceName()));
        ResourceChanges changes = new ResourceChanges();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result = new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.responses().add(result);
            boolean duplicate = repeated.contains(new Resource(resource.resourceType(), resource.resourceName()));
            changes.add(() -> duplicate ? refused(DUPLICATE_RESOURCE) : change(resource, request.validateOnly()),
                    error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
        }
        return changes.answer(response);
    }

    private CompletableFuture<TopicRecord> change(IncrementalAlterConfigsRequestData.AlterConfigsResource resource,
            boolean validateOnly) {
        checkNoRepeats(resource.configs().stream().map(IncrementalAlterConfigsRequestData.AlterableConfig::name)
                .toList());
        checkValues(resource.configs().stream()
                .filter(c -> c.value() == null && c.configOperation() != OpType.DELETE.id())
                .map(IncrementalAlterConfigsRequestData.AlterableConfig::name).toList());
        checkTopic(resource.resourceType(), resource.resourceName());
        Optional<TopicRecord> topic = state.topic(resource.resourceName());
        if (topic.isEmpty()) {
            // the code alone: the message stays empty, the result's default
            throw new UnknownTopicOrPartitionException("");
        }
        Optional<Byte> unknown = resource.configs().stream()
                .map(IncrementalAlterConfigsRequestData.AlterableConfig::configOperation)
                .filter(op -> OpType.forId(op) == null)
                .reduce((first, last) -> last);
        if (unknown.isPresent()) {
            throw new InvalidRequestException("unknown config operation " + unknown.get());
        }
        Map<String, String> configs = new HashMap<>(topic.get().configs());
        Map<String, String> effective = TopicConfigs.effective(topic.get().configs());
        for (IncrementalAlterConfigsRequestData.AlterableConfig change : resource.configs()) {
            OpType op = OpType.forId(change.configOperation());
            switch (op) {
                case SET -> configs.put(change.name(), change.value());
                case DELETE -> configs.remove(change.name());
                case APPEND, SUBTRACT -> {
                    if (TopicConfigs.type(change.name()) != ConfigDef.Type.LIST) {
                        throw new InvalidConfigurationException("Can't " + op + " to key " + change.name()
                                + " because its type is not LIST.");
                    }
                    configs.put(change.name(),
                            listChange(effective.get(change.name()), change.value(), op == OpType.APPEND));
                }
            }
        }
        return state.setConfigs(resource.resourceName(), configs, validateOnly);
    }

    private static void checkNoRepeats(List<String> names) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new InvalidRequestException("Error due to duplicate config keys");
        }
    }

    private static void checkValues(List<String> withoutValue) {
        if (!withoutValue.isEmpty()) {
            throw new InvalidRequestException("Null value not supported for : " + String.join(", ", withoutValue));
        }
    }

    /** Only topic configs change; a topic is named by a valid name, never the empty one of a default resource. */
    private static void checkTopic(byte resourceType, String name) {
        switch (ConfigResource.Type.forId(resourceType)) {
            case TOPIC -> {
                if (name.isEmpty()) {
                    throw new InvalidRequestException("Default topic resources are not allowed.");
                }
                Topic.validate(name);
            }
            case UNKNOWN -> throw unknownType(resourceType);
            default -> throw new InvalidRequestException("only topic configs can change");
        }
    }

    private static InvalidRequestException unknownType(byte resourceType) {
        return new InvalidRequestException("Unknown resource type " + resourceType);
    }

    private static <T> CompletableFuture<T> refused(String why) {
        return CompletableFuture.failedFuture(new InvalidRequestException(why));
    }

    /** The resources named more than once: Kafka refuses every one of their mentions, since none is the one meant. */
    private static <T> Set<Resource> repeated(Iterable<T> resources, Function<T, Resource> resource) {
        Set<Resource> seen = new HashSet<>();
        Set<Resource> repeated = new HashSet<>();
        for (T r : resources) {
            if (!seen.add(resource.apply(r))) {
                repeated.add(resource.apply(r));
            }
        }
        return repeated;
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
