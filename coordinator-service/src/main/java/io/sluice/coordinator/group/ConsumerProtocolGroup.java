package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.Uuid;

import io.sluice.coordinator.group.ConsumerProtocolMember.Reconciliation;

/**
 * A group's membership under the consumer group protocol (KIP-848). The group epoch moves whenever what the
 * assignment depends on changes (members, subscriptions, the subscribed topics' partitions); the target assignment
 * is computed for it; each member then reconciles towards its target on its own heartbeats: it first gives back what
 * is no longer its own, keeping its epoch, then moves to the assignment epoch and takes its new partitions as the
 * others release them. No partition is ever held by two members. Only the group thread touches it.
 */
final class ConsumerProtocolGroup {

    /** The topics that exist now: by name, and every name (for regular expressions). */
    record Topics(Function<String, Optional<TopicShape>> byName, Supplier<Collection<String>> names) {
    }

    int groupEpoch;
    int assignmentEpoch;
    String assignor = ServerAssignors.UNIFORM;
    final Map<String, ConsumerProtocolMember> members = new TreeMap<>();
    Map<String, Set<AssignedPartition>> target = Map.of();
    /** Each member's subscribed topics that exist, as of the last look: a change moves the group epoch. */
    private Map<String, Map<String, TopicShape>> subscribed = Map.of();
    long topicsRefreshedAt;

    /** Kafka's state names: Empty, Assigning (a target is due), Reconciling (members on their way), Stable. */
    String state() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (assignmentEpoch < groupEpoch) {
            return "Assigning";
        }
        boolean stable = members.values().stream().allMatch(m -> m.memberEpoch == assignmentEpoch
                && m.reconciliation == Reconciliation.STABLE);
        return stable ? "Stable" : "Reconciling";
    }

    Optional<ConsumerProtocolMember> withInstanceId(String instanceId) {
        return members.values().stream().filter(m -> instanceId.equals(m.instanceId)).findFirst();
    }

    /** Looks at the subscribed topics again; a topic created, deleted or grown moves the group epoch. */
    void refreshTopics(Topics topics) {
        Map<String, Map<String, TopicShape>> now = resolve(topics);
        if (!now.equals(subscribed)) {
            subscribed = now;
            groupEpoch++;
        }
    }

    /** Each member's subscribed topics among those given. */
    private Map<String, Map<String, TopicShape>> resolve(Topics topics) {
        Map<String, Map<String, TopicShape>> resolved = new HashMap<>();
        for (ConsumerProtocolMember member : members.values()) {
            Map<String, TopicShape> shapes = new TreeMap<>();
            member.subscribedTopicNames.forEach(name -> topics.byName().apply(name)
                    .ifPresent(shape -> shapes.put(name, shape)));
            if (member.subscribedPattern != null) {
                for (String name : topics.names().get()) {
                    if (member.subscribedPattern.matcher(name).matches()) {
                        topics.byName().apply(name).ifPresent(shape -> shapes.put(name, shape));
                    }
                }
            }
            resolved.put(member.memberId, shapes);
        }
        return resolved;
    }

    /** A new target assignment when the group epoch moved past the last one's. */
    void assignIfBehind() {
        if (assignmentEpoch == groupEpoch) {
            return;
        }
        Map<String, Integer> votes = new HashMap<>();
        members.values().forEach(m -> votes.merge(m.serverAssignor == null ? ServerAssignors.UNIFORM
                : m.serverAssignor, 1, Integer::sum));
        assignor = votes.entrySet().stream().max(Map.Entry.<String, Integer> comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(ServerAssignors.UNIFORM);
        SortedMap<String, Map<Uuid, Integer>> subscriptions = new TreeMap<>();
        for (ConsumerProtocolMember member : members.values()) {
            Map<Uuid, Integer> topics = new HashMap<>();
            subscribed.getOrDefault(member.memberId, Map.of()).values()
                    .forEach(shape -> topics.put(shape.id(), shape.partitions()));
            subscriptions.put(member.memberId, topics);
        }
        target = ServerAssignors.assign(assignor, subscriptions, target);
        assignmentEpoch = groupEpoch;
    }

    /**
     * One step of the member towards its target. {@code owned} is what the member says it holds (null when it did not
     * say): a revocation is done once the member no longer names any of the partitions given back.
     */
    void reconcile(ConsumerProtocolMember member, Set<AssignedPartition> owned, long now) {
        if (!member.revoking.isEmpty()) {
            if (owned == null || owned.stream().anyMatch(member.revoking::contains)) {
                return;
            }
            member.revoking = Set.of();
        }
        Set<AssignedPartition> wanted = target.getOrDefault(member.memberId, Set.of());
        Set<AssignedPartition> kept = new TreeSet<>(member.assigned);
        kept.retainAll(wanted);
        if (kept.size() < member.assigned.size()) {
            Set<AssignedPartition> revoke = new TreeSet<>(member.assigned);
            revoke.removeAll(wanted);
            member.assigned = kept;
            member.revoking = revoke;
            member.revokeBy = now + member.rebalanceTimeoutMs;
            member.reconciliation = Reconciliation.UNREVOKED_PARTITIONS;
            return;
        }
        Set<AssignedPartition> heldByOthers = new HashSet<>();
        members.values().stream().filter(m -> m != member).forEach(m -> {
            heldByOthers.addAll(m.assigned);
            heldByOthers.addAll(m.revoking);
        });
        Set<AssignedPartition> taken = new TreeSet<>(wanted);
        taken.removeAll(heldByOthers);
        member.assigned = taken;
        if (member.memberEpoch != assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = assignmentEpoch;
        }
        member.reconciliation = taken.size() == wanted.size() ? Reconciliation.STABLE
                : Reconciliation.UNRELEASED_PARTITIONS;
    }

    GroupStore.ConsumerProtocolRecord toRecord() {
        Map<String, Map<String, List<Integer>>> targets = new TreeMap<>();
        target.forEach((member, partitions) -> targets.put(member, stored(partitions)));
        List<GroupStore.ConsumerMemberRecord> records = new ArrayList<>();
        members.values().forEach(m -> records.add(m.toRecord()));
        Map<String, GroupStore.SubscribedTopic> topics = new TreeMap<>();
        subscribed.values().forEach(shapes -> shapes.forEach((name, shape) -> topics.put(name,
                new GroupStore.SubscribedTopic(shape.id().toString(), shape.partitions()))));
        return new GroupStore.ConsumerProtocolRecord(groupEpoch, assignmentEpoch, assignor, targets, records, topics);
    }

    static ConsumerProtocolGroup restore(GroupStore.ConsumerProtocolRecord record, long now) {
        ConsumerProtocolGroup group = new ConsumerProtocolGroup();
        group.groupEpoch = record.groupEpoch();
        group.assignmentEpoch = record.assignmentEpoch();
        group.assignor = record.assignor();
        Map<String, Set<AssignedPartition>> target = new TreeMap<>();
        record.target().forEach((member, partitions) -> target.put(member, partitions(partitions)));
        group.target = target;
        record.members().forEach(m -> group.members.put(m.memberId(), ConsumerProtocolMember.restore(m, now)));
        // the topics as they were when stored: the first heartbeat moves the epoch only if they changed since
        Map<String, TopicShape> stored = new HashMap<>();
        record.topics().forEach((name, t) -> stored.put(name, new TopicShape(Uuid.fromString(t.id()), t.partitions())));
        group.subscribed = group.resolve(new Topics(name -> Optional.ofNullable(stored.get(name)), stored::keySet));
        return group;
    }

    /** Partitions as stored: topic id to partition numbers. */
    static Map<String, List<Integer>> stored(Set<AssignedPartition> partitions) {
        Map<String, List<Integer>> stored = new TreeMap<>();
        AssignedPartition.byTopic(partitions).forEach((topic, indexes) -> stored.put(topic.toString(), indexes));
        return stored;
    }

    static Set<AssignedPartition> partitions(Map<String, List<Integer>> byTopic) {
        Set<AssignedPartition> partitions = new TreeSet<>();
        byTopic.forEach((topic, indexes) -> indexes.forEach(i -> partitions.add(
                new AssignedPartition(Uuid.fromString(topic), i))));
        return partitions;
    }

    /** The member is gone: a new epoch at once, not a second one when the topics are next looked at. */
    void remove(String memberId) {
        if (members.remove(memberId) != null) {
            groupEpoch++;
            Map<String, Map<String, TopicShape>> rest = new HashMap<>(subscribed);
            rest.remove(memberId);
            subscribed = rest;
        }
    }
}
