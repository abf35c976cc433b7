package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit, TxnOffsetCommit, OffsetFetch and OffsetDelete. A commit is validated against the group's membership and
 * generation as
 * Kafka does, persisted, and only then visible and acknowledged.
 */
final class OffsetCommits {

    private final GroupStore store;
    private final GroupSettings settings;
    private final Function<String, Optional<Integer>> partitionCount;
    private final Executor groupThread;
    private final LongSupplier clock;

    OffsetCommits(GroupStore store, GroupSettings settings, Function<String, Optional<Integer>> partitionCount,
            Executor groupThread, LongSupplier clock) {
        this.store = store;
        this.settings = settings;
        this.partitionCount = partitionCount;
        this.groupThread = groupThread;
        this.clock = clock;
    }

    CompletableFuture<OffsetCommitResponseData> commit(Map<String, ConsumerGroup> groups,
            OffsetCommitRequestData request) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        String groupId = request.groupId();
        ConsumerGroup group = groups.get(groupId);
        Errors groupError = groupId == null || groupId.isEmpty() ? Errors.INVALID_GROUP_ID
                : validate(group, request.generationIdOrMemberEpoch(), request.memberId(), request.groupInstanceId());
        if (group == null && groupError == Errors.NONE) {
            // a commit outside group management (assign() and commitSync, or Admin) creates an empty group
            group = new ConsumerGroup(groupId);
            groups.put(groupId, group);
        }
        long now = clock.getAsLong();
        if (groupError == Errors.NONE && group.hasMembers()) {
            group.member(request.memberId()).ifPresent(m -> m.heartbeat(now));
        }
        AcceptedOffsets accepted = new AcceptedOffsets();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic answer = new OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(answer);
            Optional<Integer> partitions = partitionCount.apply(topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                OffsetCommitResponsePartition partition = new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex());
                answer.partitions().add(partition);
                Errors error = groupError;
                if (error == Errors.NONE) {
                    error = partitionError(partitions, p);
                }
                partition.setErrorCode(error.code());
                if (error == Errors.NONE) {
                    accepted.add(topic.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                            p.committedMetadata(), now,
                            () -> partition.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                }
            }
        }
        ConsumerGroup committing = group;
        return whenStored(response, committing, accepted, offsets -> store.saveOffsets(groupId, offsets),
                offsets -> committing.offsets.putAll(offsets));
    }

    /** Kafka's order of checks for a commit against a group's membership. */
    private static Errors validate(ConsumerGroup group, int generation, String memberId, String instanceId) {
        if (group == null) {
            return generation < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (group.consumerProtocol != null) {
            return ConsumerProtocol.validateCommit(group, generation, memberId);
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (instanceId != null && group.staticMemberId(instanceId).map(id -> !id.equals(memberId)).orElse(false)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (group.member(memberId).isEmpty()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != group.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    private Errors partitionError(Optional<Integer> partitions, OffsetCommitRequestData.OffsetCommitRequestPartition p) {
        return partitionError(partitions, p.partitionIndex(), p.committedMetadata());
    }

    private Errors partitionError(Optional<Integer> partitions, int partition, String metadata) {
        if (partitions.isEmpty() || partition < 0 || partition >= partitions.get()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (metadata != null && metadata.length() > settings.maxMetadataBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return Errors.NONE;
    }

    // ---- transactional offsets

    CompletableFuture<TxnOffsetCommitResponseData> commitTransactional(Map<String, ConsumerGroup> groups,
            TxnOffsetCommitRequestData request) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        String groupId = request.groupId();
        ConsumerGroup group = groups.get(groupId);
        // producers without the consumer's group metadata (KIP-447) send no generation: nothing to check then
        boolean legacy = request.generationId() < 0 && request.memberId().isEmpty();
        Errors groupError = groupId == null || groupId.isEmpty() ? Errors.INVALID_GROUP_ID
                : legacy ? Errors.NONE
                        : validate(group, request.generationId(), request.memberId(), request.groupInstanceId());
        if (groupError == Errors.REBALANCE_IN_PROGRESS) {
            groupError = Errors.NONE;
        }
        if (group == null && groupError == Errors.NONE) {
            group = new ConsumerGroup(groupId);
            groups.put(groupId, group);
        }
        long now = clock.getAsLong();
        AcceptedOffsets accepted = new AcceptedOffsets();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic answer = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                    .setName(topic.name());
            response.topics().add(answer);
            Optional<Integer> partitions = partitionCount.apply(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : topic.partitions()) {
                Errors error = groupError == Errors.NONE
                        ? partitionError(partitions, p.partitionIndex(), p.committedMetadata())
                        : groupError;
                TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition partition = new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code());
                answer.partitions().add(partition);
                if (error == Errors.NONE) {
                    accepted.add(topic.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                            p.committedMetadata(), now,
                            () -> partition.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
                }
            }
        }
        ConsumerGroup committing = group;
        long producerId = request.producerId();
        return whenStored(response, committing, accepted, offsets -> {
            Map<TopicPartitionKey, CommittedOffset> pending = new HashMap<>(
                    committing.pendingTransactional.getOrDefault(producerId, Map.of()));
            pending.putAll(offsets);
            return store.savePending(groupId, producerId, pending);
        }, offsets -> committing.pendingTransactional.computeIfAbsent(producerId, id -> new HashMap<>())
                .putAll(offsets));
    }

    /** The partitions of one commit that passed the checks: their offsets, stored together, and their answers. */
    private static final class AcceptedOffsets {

        final Map<TopicPartitionKey, CommittedOffset> offsets = new HashMap<>();
        /** Each accepted partition's answer should its offset not be stored. */
        final List<Runnable> unavailable = new ArrayList<>();

        void add(String topic, int partition, long offset, int leaderEpoch, String metadata, long now,
                Runnable answerUnavailable) {
            offsets.put(new TopicPartitionKey(topic, partition),
                    new CommittedOffset(offset, leaderEpoch, metadata == null ? "" : metadata, now));
            unavailable.add(answerUnavailable);
        }
    }

    /**
     * The response, once the accepted offsets are stored: they take effect then, on the group thread, or if they
     * could not be stored every accepted partition is answered COORDINATOR_NOT_AVAILABLE. Meanwhile the group counts
     * the commit as being stored, so that its offsets' expiry waits for it.
     */
    private <R> CompletableFuture<R> whenStored(R response, ConsumerGroup group, AcceptedOffsets accepted,
            Function<Map<TopicPartitionKey, CommittedOffset>, CompletableFuture<Void>> save,
            Consumer<Map<TopicPartitionKey, CommittedOffset>> takeEffect) {
        if (accepted.offsets.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        group.commitsBeingStored++;
        return save.apply(accepted.offsets).handleAsync((v, e) -> {
            group.commitsBeingStored--;
            if (e != null) {
                accepted.unavailable.forEach(Runnable::run);
            } else {
                takeEffect.accept(accepted.offsets);
            }
            return response;
        }, groupThread);
    }

    CompletableFuture<Void> completeTransaction(ConsumerGroup group, long producerId, boolean commit) {
        if (group == null || !group.pendingTransactional.containsKey(producerId)) {
            return CompletableFuture.completedFuture(null);
        }
        Map<TopicPartitionKey, CommittedOffset> pending = group.pendingTransactional.get(producerId);
        return store.completePending(group.groupId(), producerId, commit ? pending : Map.of()).thenRunAsync(() -> {
            group.pendingTransactional.remove(producerId);
            if (commit) {
                group.offsets.putAll(pending);
            }
        }, groupThread);
    }

    // ---- OffsetFetch

    OffsetFetchResponseData fetch(Map<String, ConsumerGroup> groups, OffsetFetchRequestData request, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            Set<String> fetched = new HashSet<>();
            for (OffsetFetchRequestData.OffsetFetchRequestGroup wanted : request.groups()) {
                OffsetFetchResponseData.OffsetFetchResponseGroup answer = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                        .setGroupId(wanted.groupId());
                response.groups().add(answer);
                if (!fetched.add(wanted.groupId())) {
                    // a group named again is not fetched again: no request multiplies the offsets it is sent
                    answer.setErrorCode(Errors.INVALID_REQUEST.code());
                    continue;
                }
                ConsumerGroup group = groups.get(wanted.groupId());
                Map<String, List<Integer>> partitions = wanted.topics() == null ? null : new LinkedHashMap<>();
                if (wanted.topics() != null) {
                    wanted.topics().forEach(t -> partitions.put(t.name(), t.partitionIndexes()));
                }
                committed(group, partitions).forEach((topic, offsets) -> {
                    boolean stable = request.requireStable();
                    OffsetFetchResponseData.OffsetFetchResponseTopics t = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                            .setName(topic);
                    answer.topics().add(t);
                    offsets.forEach((partition, c) -> t.partitions()
                            .add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                    .setPartitionIndex(partition)
                                    .setCommittedOffset(c == null ? -1 : c.offset())
                                    .setCommittedLeaderEpoch(c == null ? -1 : c.leaderEpoch())
                                    .setMetadata(c == null ? "" : c.metadata())
                                    .setErrorCode(unstable(group, stable, topic, partition))));
                });
            }
            return response;
        }
        ConsumerGroup group = groups.get(request.groupId());
        Map<String, List<Integer>> partitions = request.topics() == null ? null : new LinkedHashMap<>();
        if (request.topics() != null) {
            request.topics().forEach(t -> partitions.put(t.name(), t.partitionIndexes()));
        }
        committed(group, partitions).forEach((topic, offsets) -> {
            OffsetFetchResponseData.OffsetFetchResponseTopic t = new OffsetFetchResponseData.OffsetFetchResponseTopic()
                    .setName(topic);
            response.topics().add(t);
            offsets.forEach((partition, c) -> t.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                    .setPartitionIndex(partition)
                    .setCommittedOffset(c == null ? -1 : c.offset())
                    .setCommittedLeaderEpoch(c == null ? -1 : c.leaderEpoch())
                    .setMetadata(c == null ? "" : c.metadata())
                    .setErrorCode(unstable(group, version >= 7 && request.requireStable(), topic, partition))));
        });
        return response;
    }

    /** A read_committed consumer must wait while a transaction still holds an offset of the partition. */
    private static short unstable(ConsumerGroup group, boolean requireStable, String topic, int partition) {
        return requireStable && group != null
                && group.hasPendingTransactionalOffset(new TopicPartitionKey(topic, partition))
                        ? Errors.UNSTABLE_OFFSET_COMMIT.code()
                        : Errors.NONE.code();
    }

    /** The committed offsets asked for (null: every committed one), topic by topic; null where none. */
    private static Map<String, Map<Integer, CommittedOffset>> committed(ConsumerGroup group,
            Map<String, List<Integer>> wanted) {
        Map<String, Map<Integer, CommittedOffset>> found = new LinkedHashMap<>();
        if (wanted == null) {
            if (group != null) {
                group.offsets.forEach((tp, c) -> found.computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                        .put(tp.partition(), c));
            }
            return found;
        }
        wanted.forEach((topic, partitions) -> {
            Map<Integer, CommittedOffset> offsets = new LinkedHashMap<>();
            for (int p : partitions) {
                offsets.put(p, group == null ? null : group.offsets.get(new TopicPartitionKey(topic, p)));
            }
            found.put(topic, offsets);
        });
        return found;
    }

    CompletableFuture<Void> forgetTopic(ConsumerGroup group, String topic) {
        List<TopicPartitionKey> gone = group.offsets.keySet().stream().filter(tp -> tp.topic().equals(topic)).toList();
        if (gone.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        gone.forEach(group.offsets::remove);
        return store.removeOffsets(group.groupId(), gone);
    }

    // ---- OffsetDelete

    CompletableFuture<OffsetDeleteResponseData> delete(ConsumerGroup group, OffsetDeleteRequestData request) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        if (group == null || group.is(GroupState.DEAD)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        List<TopicPartitionKey> removed = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic answer = new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                    .setName(topic.name());
            response.topics().add(answer);
            boolean subscribed = group.subscribedTo(topic.name());
            Optional<Integer> partitions = partitionCount.apply(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : topic.partitions()) {
                Errors error = Errors.NONE;
                if (partitions.isEmpty() || p.partitionIndex() < 0 || p.partitionIndex() >= partitions.get()) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (subscribed) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else {
                    TopicPartitionKey tp = new TopicPartitionKey(topic.name(), p.partitionIndex());
                    if (group.offsets.remove(tp) != null) {
                        removed.add(tp);
                    }
                }
                answer.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
            }
        }
        if (removed.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return store.removeOffsets(group.groupId(), removed).handle((v, e) -> e == null ? response
                : response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
    }
}
