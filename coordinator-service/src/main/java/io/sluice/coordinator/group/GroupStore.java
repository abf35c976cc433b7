package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.sluice.coordinator.store.JsonDocuments;
import io.sluice.coordinator.store.StateStore;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Groups and committed offsets in the coordinators' replicated, persistent state. One entry per group (its last
 * settled generation and members) and one per committed partition. Writes of one group are applied one after the
 * other, so a later commit can never be overtaken by an earlier one.
 */
final class GroupStore {

    private static final String GROUP = "group/";
    private static final String OFFSET = "offset/";
    private static final String PENDING = "txn-offsets/";
    private static final String INSTANCE = "http-consumer/";

    /**
     * A group as persisted: its last settled generation, and if it is Empty when it became so (null in records
     * written before that was kept).
     */
    record GroupRecord(String groupId, String protocolType, String protocolName, int generation, String leaderId,
            List<MemberRecord> members, Long emptySince, ConsumerProtocolRecord consumerProtocol) {
    }

    /** A group's membership under the consumer group protocol; partitions as topic id to partition numbers. */
    record ConsumerProtocolRecord(int groupEpoch, int assignmentEpoch, String assignor,
            Map<String, Map<String, List<Integer>>> target, List<ConsumerMemberRecord> members,
            Map<String, SubscribedTopic> topics) {
    }

    /** A subscribed topic as the group's assignment last saw it. */
    record SubscribedTopic(String id, int partitions) {
    }

    record ConsumerMemberRecord(String memberId, String instanceId, String rackId, String clientId, String clientHost,
            int rebalanceTimeoutMs, List<String> subscribedTopicNames, String subscribedTopicRegex,
            String serverAssignor, int memberEpoch, int previousMemberEpoch, String reconciliation,
            Map<String, List<Integer>> assigned, Map<String, List<Integer>> revoking, boolean away) {
    }

    record MemberRecord(String memberId, String groupInstanceId, String clientId, String clientHost,
            int sessionTimeoutMs, int rebalanceTimeoutMs, List<MemberProtocol> protocols, byte[] assignment) {
    }

    record OffsetRecord(String groupId, String topic, int partition, CommittedOffset committed) {
    }

    /** Offsets a transaction committed for a group, waiting for the transaction's end. */
    record PendingRecord(String groupId, long producerId, List<OffsetRecord> offsets) {
    }

    private final StateStore store;
    private final JsonDocuments documents;
    private final Map<String, CompletableFuture<Void>> lastWrite = new ConcurrentHashMap<>();

    GroupStore(StateStore store, ObjectMapper json) {
        this.store = store;
        this.documents = new JsonDocuments(json);
    }

    List<GroupRecord> groups() {
        return documents.readAll(store.withPrefix(GROUP).values(), GroupRecord.class);
    }

    List<OffsetRecord> offsets() {
        return documents.readAll(store.withPrefix(OFFSET).values(), OffsetRecord.class);
    }

    List<PendingRecord> pending() {
        return documents.readAll(store.withPrefix(PENDING).values(), PendingRecord.class);
    }

    List<ConsumerInstance> instances() {
        return documents.readAll(store.withPrefix(INSTANCE).values(), ConsumerInstance.class);
    }

    CompletableFuture<Void> saveInstance(ConsumerInstance instance) {
        return write(instance.group(), Map.of(instanceKey(instance), documents.write(instance)), List.of());
    }

    CompletableFuture<Void> removeInstance(ConsumerInstance instance) {
        return write(instance.group(), Map.of(), List.of(instanceKey(instance)));
    }

    CompletableFuture<Void> savePending(String groupId, long producerId,
            Map<TopicPartitionKey, CommittedOffset> offsets) {
        List<OffsetRecord> records = new ArrayList<>();
        offsets.forEach((tp, c) -> records.add(new OffsetRecord(groupId, tp.topic(), tp.partition(), c)));
        return write(groupId, Map.of(pendingKey(groupId, producerId),
                documents.write(new PendingRecord(groupId, producerId, records))), List.of());
    }

    /** A transaction ended: its offsets become committed ones, or are dropped. */
    CompletableFuture<Void> completePending(String groupId, long producerId,
            Map<TopicPartitionKey, CommittedOffset> committed) {
        Map<String, String> puts = new HashMap<>();
        committed.forEach((tp, c) -> puts.put(offsetKey(groupId, tp),
                documents.write(new OffsetRecord(groupId, tp.topic(), tp.partition(), c))));
        return write(groupId, puts, List.of(pendingKey(groupId, producerId)));
    }

    /**
     * Persists a group's settled state (classic), or its membership (consumer group protocol). Called on the group
     * thread, like every method that writes.
     */
    CompletableFuture<Void> saveGroup(ConsumerGroup group) {
        List<MemberRecord> members = new ArrayList<>();
        for (GroupMember m : group.members()) {
            members.add(new MemberRecord(m.memberId(), m.groupInstanceId(), m.clientId, m.clientHost,
                    m.sessionTimeoutMs, m.rebalanceTimeoutMs, m.protocols, m.assignment));
        }
        GroupRecord record = new GroupRecord(group.groupId(), group.protocolType, group.protocolName,
                group.generation, group.leaderId, members, group.is(GroupState.EMPTY) ? group.emptySince : null,
                group.consumerProtocol == null ? null : group.consumerProtocol.toRecord());
        return write(group.groupId(), Map.of(GROUP + group.groupId(), documents.write(record)), List.of());
    }

    CompletableFuture<Void> saveOffsets(String groupId, Map<TopicPartitionKey, CommittedOffset> offsets) {
        Map<String, String> puts = new HashMap<>();
        offsets.forEach((tp, committed) -> puts.put(offsetKey(groupId, tp),
                documents.write(new OffsetRecord(groupId, tp.topic(), tp.partition(), committed))));
        return write(groupId, puts, List.of());
    }

    CompletableFuture<Void> removeOffsets(String groupId, Collection<TopicPartitionKey> partitions) {
        return write(groupId, Map.of(), partitions.stream().map(tp -> offsetKey(groupId, tp)).toList());
    }

    CompletableFuture<Void> removeGroup(ConsumerGroup group) {
        List<String> keys = new ArrayList<>();
        keys.add(GROUP + group.groupId());
        group.offsets.keySet().forEach(tp -> keys.add(offsetKey(group.groupId(), tp)));
        group.pendingTransactional.keySet().forEach(pid -> keys.add(pendingKey(group.groupId(), pid)));
        return write(group.groupId(), Map.of(), keys);
    }

    private CompletableFuture<Void> write(String groupId, Map<String, String> puts, Collection<String> removals) {
        CompletableFuture<Void> previous = lastWrite.getOrDefault(groupId, CompletableFuture.completedFuture(null));
        CompletableFuture<Void> next = previous.handle((v, e) -> null)
                .thenCompose(v -> store.changeAsync(puts, removals));
        lastWrite.put(groupId, next);
        next.whenComplete((v, e) -> lastWrite.remove(groupId, next));
        return next;
    }

    /** The group id's length first: a group id may contain any character, topic names no ':'. */
    private static String offsetKey(String groupId, TopicPartitionKey tp) {
        return OFFSET + groupId.length() + ":" + groupId + ":" + tp.topic() + ":" + tp.partition();
    }

    private static String instanceKey(ConsumerInstance instance) {
        return INSTANCE + instance.group().length() + ":" + instance.group() + ":" + instance.name();
    }

    private static String pendingKey(String groupId, long producerId) {
        return PENDING + groupId.length() + ":" + groupId + ":" + producerId;
    }
}
