package io.sluice.gateway.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.quota.ControllerMutations;
import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.gateway.quota.Throttles;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Creating, describing, reconfiguring and deleting topics over HTTP, with the same requests an Admin client sends: to
 * the coordinator for topics and configs, to the leaders for offsets. Kafka's errors become HTTP statuses
 * ({@link KafkaErrorStatus}); a coordinator that does not answer is a 503. Creating and deleting are held to the
 * caller's {@code controller_mutation_rate} as a Kafka client's CreateTopics and DeleteTopics are
 * ({@link ControllerMutations}): while it owes, its topic is refused with 429 and when to try again.
 */
final class TopicAdmin {

    private static final short CREATE_TOPICS_VERSION = 7;
    private static final short DELETE_TOPICS_VERSION = 5;
    private static final short DESCRIBE_CONFIGS_VERSION = 4;
    private static final short INCREMENTAL_ALTER_CONFIGS_VERSION = 1;
    private static final int TIMEOUT_MS = 30_000;
    /** There is no connection to stop reading: a caller that owes has its next topic refused instead. */
    private static final LongConsumer UNMUTED = owedMs -> {
    };

    private final MetadataView metadata;
    private final LeaderRequests leaders;
    private final ControllerMutations mutations;

    TopicAdmin(MetadataView metadata, LeaderRequests leaders, Throttles throttles) {
        this.metadata = metadata;
        this.leaders = leaders;
        this.mutations = new ControllerMutations(throttles, metadata::current);
    }

    /** A topic created: its name, id, partition count and replication factor. */
    record Created(String name, String id, int partitions, int replicationFactor) {
    }

    /** A config of a topic as DescribeConfigs tells it; {@code source} is Kafka's {@code ConfigSource} name. */
    record ConfigEntry(String name, String value, boolean isDefault, boolean readOnly, boolean sensitive,
            String source) {
    }

    /** One config to set to a value, or (value null) to put back to its default. */
    record ConfigChange(String name, String value) {
    }

    /** @param validateOnly only check that the topic could be created */
    CompletableFuture<Created> create(NewTopic topic, boolean validateOnly, QuotaAccount quota) {
        CreatableTopic creatable = new CreatableTopic()
                .setName(topic.name())
                .setNumPartitions(topic.partitions() == null ? -1 : topic.partitions())
                .setReplicationFactor(topic.replicationFactor() == null ? -1 : topic.replicationFactor().shortValue());
        if (topic.configs() != null) {
            topic.configs().forEach((name, value) -> creatable.configs()
                    .add(new CreatableTopicConfig().setName(name).setValue(value)));
        }
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(TIMEOUT_MS)
                .setValidateOnly(validateOnly);
        request.topics().add(creatable);
        return mutation(ApiKeys.CREATE_TOPICS, CREATE_TOPICS_VERSION, request, quota, CreateTopicsResponseData.class)
                .thenCompose(response -> {
                    CreateTopicsResponseData.CreatableTopicResult result = response.topics().iterator().next();
                    checkMutation(Errors.forCode(result.errorCode()), result.errorMessage(), response.throttleTimeMs());
                    Created created = new Created(result.name(), result.topicId().toString(), result.numPartitions(),
                            result.replicationFactor());
                    return metadata.refresh().thenApply(view -> created);
                });
    }

    /** The topic a bridge-style body describes, checked. */
    static NewTopic newTopic(byte[] body) {
        NewTopic topic;
        try {
            topic = EmbeddedFormat.MAPPER.readValue(body, NewTopic.class);
        } catch (JacksonException e) {
            throw HttpError.unprocessable("the body must be {\"name\":..,\"partitions\":..,\"replicationFactor\":..,"
                    + "\"configs\":{..}}: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.unprocessable("the body cannot be read");
        }
        check(topic);
        return topic;
    }

    /** What the coordinator would refuse less clearly: a topic needs a name, partitions and replicas from 1. */
    static void check(NewTopic topic) {
        if (topic == null || topic.name() == null || topic.name().isEmpty()) {
            throw HttpError.unprocessable("a topic needs a name");
        }
        if (topic.partitions() != null && topic.partitions() < 1) {
            throw HttpError.unprocessable("partitions must be 1 or more");
        }
        if (topic.replicationFactor() != null
                && (topic.replicationFactor() < 1 || topic.replicationFactor() > Short.MAX_VALUE)) {
            throw HttpError.unprocessable("replicationFactor must be 1 or more");
        }
        if (topic.configs() != null && topic.configs().containsValue(null)) {
            throw HttpError.unprocessable("a config of a new topic needs a value");
        }
    }

    CompletableFuture<Void> delete(String name, QuotaAccount quota) {
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(TIMEOUT_MS);
        request.topicNames().add(name);
        return mutation(ApiKeys.DELETE_TOPICS, DELETE_TOPICS_VERSION, request, quota, DeleteTopicsResponseData.class)
                .thenCompose(response -> {
                    DeleteTopicsResponseData.DeletableTopicResult result = response.responses().iterator().next();
                    Errors error = Errors.forCode(result.errorCode());
                    if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                        throw HttpError.notFound("topic " + name + " does not exist");
                    }
                    checkMutation(error, result.errorMessage(), response.throttleTimeMs());
                    return metadata.refresh().thenApply(view -> null);
                });
    }

    CompletableFuture<TopicDescription> describe(String name) {
        return Topics.find(metadata, name).thenCompose(topic -> {
            CompletableFuture<Map<String, String>> configs = configs(name);
            CompletableFuture<Map<Integer, Long>> earliest = offsets(topic, ListOffsetsRequest.EARLIEST_TIMESTAMP);
            CompletableFuture<Map<Integer, Long>> latest = offsets(topic, ListOffsetsRequest.LATEST_TIMESTAMP);
            return CompletableFuture.allOf(configs, earliest, latest).thenApply(all -> description(topic,
                    configs.join(), earliest.join(), latest.join()));
        });
    }

    CompletableFuture<TopicDescription.Offsets> offsets(String name, int partition) {
        return Topics.find(metadata, name).thenCompose(topic -> {
            PartitionReader.checkPartition(topic, partition);
            CompletableFuture<Map<Integer, Long>> earliest = offsets(topic, ListOffsetsRequest.EARLIEST_TIMESTAMP);
            CompletableFuture<Map<Integer, Long>> latest = offsets(topic, ListOffsetsRequest.LATEST_TIMESTAMP);
            return earliest.thenCombine(latest, (e, l) -> new TopicDescription.Offsets(e.get(partition),
                    l.get(partition)));
        });
    }

    /**
     * Changes configs as a JSON merge patch would: a name with a value sets it, a name with null removes it (back
     * to the default).
     */
    CompletableFuture<Void> alterConfigs(String name, byte[] body) {
        JsonNode patch;
        try {
            patch = EmbeddedFormat.MAPPER.readTree(body);
        } catch (IOException e) {
            throw HttpError.unprocessable("the body is not JSON");
        }
        if (patch == null || !patch.isObject() || patch.isEmpty()) {
            throw HttpError.unprocessable("the body must be an object of configs: {\"retention.ms\":\"3600000\","
                    + "\"cleanup.policy\":null}");
        }
        List<ConfigChange> changes = new ArrayList<>();
        patch.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (!value.isNull() && !value.isValueNode()) {
                throw HttpError.unprocessable("config " + entry.getKey() + " must be a string, a number, a boolean "
                        + "or null");
            }
            changes.add(new ConfigChange(entry.getKey(), value.isNull() ? null : value.asText()));
        });
        return alterConfigs(name, changes, false);
    }

    /** Applies the changes together, or (validateOnly) only checks that they could be. */
    CompletableFuture<Void> alterConfigs(String name, List<ConfigChange> changes, boolean validateOnly) {
        AlterConfigsResource resource = new AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id())
                .setResourceName(name);
        changes.forEach(change -> resource.configs().add(new AlterableConfig()
                .setName(change.name())
                .setConfigOperation(change.value() == null ? (byte) 1 : (byte) 0)
                .setValue(change.value())));
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData()
                .setValidateOnly(validateOnly);
        request.resources().add(resource);
        return Topics.find(metadata, name)
                .thenCompose(topic -> coordinator(request, INCREMENTAL_ALTER_CONFIGS_VERSION,
                        IncrementalAlterConfigsResponseData.class))
                .thenApply(response -> {
                    IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result = response.responses()
                            .get(0);
                    check(Errors.forCode(result.errorCode()), result.errorMessage());
                    return null;
                });
    }

    private CompletableFuture<Map<String, String>> configs(String name) {
        return configEntries(name).thenApply(entries -> {
            Map<String, String> configs = new TreeMap<>();
            entries.forEach(c -> configs.put(c.name(), c.sensitive() ? null : c.value()));
            return configs;
        });
    }

    /** Every config of the topic, with where its value comes from. */
    CompletableFuture<List<ConfigEntry>> configEntries(String name) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id())
                .setResourceName(name)
                .setConfigurationKeys(null));
        return coordinator(request, DESCRIBE_CONFIGS_VERSION, DescribeConfigsResponseData.class).thenApply(response -> {
            DescribeConfigsResponseData.DescribeConfigsResult result = response.results().get(0);
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                throw HttpError.notFound("topic " + name + " does not exist");
            }
            check(error, result.errorMessage());
            return result.configs().stream()
                    .sorted(Comparator.comparing(DescribeConfigsResponseData.DescribeConfigsResourceResult::name))
                    .map(c -> {
                        DescribeConfigsResponse.ConfigSource source = DescribeConfigsResponse.ConfigSource
                                .forId(c.configSource());
                        return new ConfigEntry(c.name(), c.isSensitive() ? null : c.value(),
                                source == DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG, c.readOnly(),
                                c.isSensitive(), source.name());
                    })
                    .toList();
        });
    }

    /** Each partition's offset at {@code timestamp} (earliest or latest); partitions whose leader failed are left out. */
    private CompletableFuture<Map<Integer, Long>> offsets(TopicView topic, long timestamp) {
        ListOffsetsTopic listed = new ListOffsetsTopic().setName(topic.name());
        for (PartitionView p : topic.partitions()) {
            listed.partitions().add(new ListOffsetsPartition()
                    .setPartitionIndex(p.partition())
                    .setTimestamp(timestamp)
                    .setCurrentLeaderEpoch(-1));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0);
        request.topics().add(listed);
        return leaders.listOffsets(request).thenApply(response -> {
            Map<Integer, Long> offsets = new HashMap<>();
            for (ListOffsetsResponseData.ListOffsetsTopicResponse t : response.topics()) {
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions()) {
                    if (p.errorCode() == Errors.NONE.code()) {
                        offsets.put(p.partitionIndex(), p.offset());
                    }
                }
            }
            return offsets;
        });
    }

    private static TopicDescription description(TopicView topic, Map<String, String> configs,
            Map<Integer, Long> earliest, Map<Integer, Long> latest) {
        List<TopicDescription.PartitionDescription> partitions = new ArrayList<>();
        for (PartitionView p : topic.partitions()) {
            partitions.add(new TopicDescription.PartitionDescription(p.partition(), p.leader(), p.leaderEpoch(),
                    p.replicas().stream().map(b -> new TopicDescription.Replica(b, b == p.leader(),
                            p.isr().contains(b))).toList(),
                    earliest.get(p.partition()), latest.get(p.partition())));
        }
        return new TopicDescription(topic.name(), topic.id().toString(), topic.replicationFactor(), configs,
                partitions);
    }

    private <R extends ApiMessage> CompletableFuture<R> coordinator(ApiMessage request, short version,
            Class<R> response) {
        return CoordinatorRequests.send(metadata, request, version, response);
    }

    /** A CreateTopics or DeleteTopics to the coordinator, with the topics the caller's mutation quota allows. */
    private <R extends ApiMessage> CompletableFuture<R> mutation(ApiKeys api, short version, ApiMessage request,
            QuotaAccount quota, Class<R> response) {
        RequestFrame frame = new RequestFrame(api.id, version, 0, quota.clientId(), request);
        return mutations.serve(frame, quota.user(), UNMUTED,
                allowed -> coordinator(allowed.body(), version, ApiMessage.class))
                .toCompletableFuture().thenApply(response::cast);
    }

    /** A topic refused under the caller's mutation quota is a 429, to try again once it owes nothing. */
    private static void checkMutation(Errors error, String message, int throttleTimeMs) {
        if (error == Errors.THROTTLING_QUOTA_EXCEEDED) {
            throw HttpError.tooManyRequests(KafkaErrorStatus.message(error, message), throttleTimeMs);
        }
        check(error, message);
    }

    private static void check(Errors error, String message) {
        CoordinatorRequests.check(error, message);
    }
}
