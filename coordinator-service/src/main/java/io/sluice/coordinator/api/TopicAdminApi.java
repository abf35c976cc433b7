package io.sluice.coordinator.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
 * before anything is allocated for it: a topic named twice is refused, and a request that would add more than
 * {@value #MAX_PARTITIONS_PER_REQUEST} partitions is refused as a whole, as Kafka's controller refuses it.
 */
final class TopicAdminApi {

    /** CreateTopics' partition count or replication factor that asks for the default. */
    private static final int DEFAULT = -1;
    /** How long CreateTopics and CreatePartitions wait for the new partitions' leaders to settle. */
    private static final Duration PLACEMENT_WAIT = Duration.ofSeconds(3);
    /** The most partitions one CreateTopics or CreatePartitions request may add (Kafka's own limit). */
    static final int MAX_PARTITIONS_PER_REQUEST = 10_000;
    /** The most topics one CreateTopics request may name: each would need a partition at least. */
    static final int MAX_TOPICS_PER_REQUEST = MAX_PARTITIONS_PER_REQUEST;
    private static final String NO_ASSIGNMENTS = "explicit replica assignments are not supported";
    private static final String DUPLICATE_NAME = "Duplicate topic name.";

    private final ClusterState state;
    private final TopicDefaults defaults;

    TopicAdminApi(ClusterState state, TopicDefaults defaults) {
        this.state = state;
        this.defaults = defaults;
    }

    CompletableFuture<ApiMessage> create(CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> duplicated = duplicates(request.topics(), CreateTopicsRequestData.CreatableTopic::name);
        long asked = request.topics().stream().filter(t -> !duplicated.contains(t.name()))
                .mapToLong(this::partitionsAsked).sum();
        String tooMuch = request.topics().size() > MAX_TOPICS_PER_REQUEST
                ? "Excessively large number of topics per request: " + request.topics().size() + ", at most "
                        + MAX_TOPICS_PER_REQUEST + " may be created in one request."
                : asked > MAX_PARTITIONS_PER_REQUEST ? tooManyPartitions(asked) : null;
        Set<String> answered = new HashSet<>();
        ResourceChanges changes = new ResourceChanges();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(Uuid.ZERO_UUID)
                    .setNumPartitions(-1)
                    .setReplicationFactor((short) -1);
            response.topics().add(result);
            if (duplicated.contains(topic.name())) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(DUPLICATE_NAME);
            } else if (tooMuch != null) {
                result.setErrorCode(Errors.POLICY_VIOLATION.code()).setErrorMessage(tooMuch);
            } else if (!topic.assignments().isEmpty()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NO_ASSIGNMENTS);
            } else {
                int partitions = topic.numPartitions() == DEFAULT ? defaults.partitions() : topic.numPartitions();
                int replicationFactor = topic.replicationFactor() == DEFAULT
                        ? defaults.replicationFactorFor(state.liveBrokers().size())
                        : topic.replicationFactor();
                Map<String, String> configs = new HashMap<>();
                topic.configs().forEach(c -> configs.put(c.name(), c.value()));
                changes.add(() -> placed(state.createTopic(topic.name(), partitions, replicationFactor, configs,
                        request.validateOnly())),
                        created -> created(result, created),
                        error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
            }
        }
        return changes.answer(response);
    }

    /**
     * The created or grown topic once its new partitions' leaders are in place ({@link ClusterState#placed}), or after
     * {@link #PLACEMENT_WAIT} without that, once those still without a leader have been elected one: an answer then
     * lets clients find the leaders that will stay.
     */
    private CompletableFuture<TopicRecord> placed(CompletableFuture<TopicRecord> change) {
        return change.thenCompose(topic -> state.placed(topic, PLACEMENT_WAIT).thenApply(placed -> topic));
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

    /**
     * DeleteTopics by name (every version) or by id (v6+), with Kafka's checks of what names what: a target must have
     * a name or an id but not both, a name or an id may appear only once, and a name may not be that of a topic also
     * named by its id. Each such target is answered once with INVALID_REQUEST; the others are deleted.
     */
    CompletableFuture<ApiMessage> delete(DeleteTopicsRequestData request) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        List<DeleteTopicsRequestData.DeleteTopicState> targets = new ArrayList<>();
        request.topicNames().forEach(name -> targets.add(new DeleteTopicsRequestData.DeleteTopicState()
                .setName(name).setTopicId(Uuid.ZERO_UUID)));
        targets.addAll(request.topics());
        List<DeleteTopicsRequestData.DeleteTopicState> byName = targets.stream()
                .filter(t -> t.name() != null && Uuid.ZERO_UUID.equals(t.topicId())).toList();
        List<DeleteTopicsRequestData.DeleteTopicState> byId = targets.stream()
                .filter(t -> t.name() == null && !Uuid.ZERO_UUID.equals(t.topicId())).toList();
        Set<String> duplicatedNames = duplicates(byName, DeleteTopicsRequestData.DeleteTopicState::name);
        Set<Uuid> duplicatedIds = duplicates(byId, DeleteTopicsRequestData.DeleteTopicState::topicId);
        Set<Uuid> namedById = new HashSet<>();
        byId.forEach(t -> namedById.add(t.topicId()));
        Set<Object> answered = new HashSet<>();
        ResourceChanges changes = new ResourceChanges();
        for (DeleteTopicsRequestData.DeleteTopicState target : targets) {
            boolean hasName = target.name() != null;
            boolean hasId = !Uuid.ZERO_UUID.equals(target.topicId());
            if (hasName != hasId && !answered.add(hasName ? target.name() : target.topicId())) {
                continue;
            }
            DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(target.name())
                    .setTopicId(target.topicId());
            response.responses().add(result);
            if (!hasName && !hasId) {
                refuse(result, "Neither topic name nor id were specified.");
            } else if (hasName && hasId) {
                refuse(result, "You may not specify both topic name and topic id.");
            } else if (hasName && duplicatedNames.contains(target.name())) {
                refuse(result, DUPLICATE_NAME);
            } else if (hasId && duplicatedIds.contains(target.topicId())) {
                refuse(result, "Duplicate topic id.");
            } else {
                deleteOne(target, result, namedById, changes);
            }
        }
        return changes.answer(response);
    }

    private void deleteOne(DeleteTopicsRequestData.DeleteTopicState target,
            DeleteTopicsResponseData.DeletableTopicResult result, Set<Uuid> namedById, ResourceChanges changes) {
        String name = target.name();
        if (name == null) {
            Optional<TopicRecord> byId = state.topic(target.topicId());
            if (byId.isEmpty()) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                return;
            }
            name = byId.get().name();
            result.setName(name);
        } else {
            Optional<Uuid> id = state.topic(name).map(t -> Uuid.fromString(t.id()));
            if (id.isPresent() && namedById.contains(id.get())) {
                result.setTopicId(id.get());
                refuse(result, "The provided topic name maps to an ID that was already supplied.");
                return;
            }
        }
        String deleting = name;
        // an unknown name is answered here, so no request queues more changes than there are topics
        changes.add(() -> state.deleteTopic(state.existing(deleting).name()),
                deleted -> result.setTopicId(Uuid.fromString(deleted.id())),
                error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
    }

    private static void refuse(DeleteTopicsResponseData.DeletableTopicResult result, String why) {
        result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(why);
    }

    CompletableFuture<ApiMessage> createPartitions(CreatePartitionsRequestData request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Set<String> duplicated = duplicates(request.topics(), CreatePartitionsRequestData.CreatePartitionsTopic::name);
        long added = request.topics().stream().filter(t -> !duplicated.contains(t.name()))
                .mapToLong(this::partitionsAdded).sum();
        Set<String> answered = new HashSet<>();
        ResourceChanges changes = new ResourceChanges();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            if (!answered.add(topic.name())) {
                continue;
            }
            CreatePartitionsResponseData.CreatePartitionsTopicResult result = new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                    .setName(topic.name());
            response.results().add(result);
            if (duplicated.contains(topic.name())) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(DUPLICATE_NAME);
            } else if (added > MAX_PARTITIONS_PER_REQUEST) {
                result.setErrorCode(Errors.POLICY_VIOLATION.code()).setErrorMessage(tooManyPartitions(added));
            } else if (topic.assignments() != null && !topic.assignments().isEmpty()) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(NO_ASSIGNMENTS);
            } else {
                changes.add(() -> placed(state.growPartitions(state.existing(topic.name()).name(), topic.count(),
                        request.validateOnly())),
                        error -> result.setErrorCode(error.code()).setErrorMessage(error.message()));
            }
        }
        return changes.answer(response);
    }

    /** The partitions CreatePartitions would add to a topic: none to an unknown topic, which is refused anyway. */
    private long partitionsAdded(CreatePartitionsRequestData.CreatePartitionsTopic topic) {
        return state.topic(topic.name()).map(t -> Math.max(0, (long) topic.count() - t.partitions().size()))
                .orElse(0L);
    }

    /** The keys that more than one of {@code items} has. */
    private static <T, K> Set<K> duplicates(Collection<T> items, Function<T, K> key) {
        Set<K> seen = new HashSet<>();
        Set<K> repeated = new HashSet<>();
        for (T item : items) {
            if (!seen.add(key.apply(item))) {
                repeated.add(key.apply(item));
            }
        }
        return repeated;
    }
}
