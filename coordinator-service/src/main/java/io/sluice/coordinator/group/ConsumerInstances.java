package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.group.ConsumerInstance.Partition;
import io.sluice.coordinator.group.ConsumerInstance.Position;
import io.sluice.coordinator.group.InstanceRefusal.Reason;
import io.sluice.coordinator.group.InstanceView.PartitionPosition;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The HTTP consumer instances of every group, on the group thread. Instances of a group that subscribe share its
 * subscribed partitions: each topic's partitions are split in ranges over the instances subscribing to it, in the
 * order of their names, computed afresh on every request, so an instance that comes, goes or expires moves partitions
 * at once and no rebalance has to be waited for. Their commits are the group's ordinary committed offsets, made as a
 * consumer outside group management makes them (generation -1), which Kafka refuses while Kafka members are in the
 * group.
 */
final class ConsumerInstances {

    private static final Logger LOG = Logger.getLogger(ConsumerInstances.class);

    /** An instance and when it was last asked for; the time is not persisted (a new active replica starts it anew). */
    private static final class Held {
        ConsumerInstance instance;
        Pattern pattern;
        long lastUsed;

        Held(ConsumerInstance instance, long now) {
            set(instance);
            this.lastUsed = now;
        }

        void set(ConsumerInstance changed) {
            instance = changed;
            pattern = changed.topicPattern() == null ? null : Pattern.compile(changed.topicPattern());
        }
    }

    private final GroupStore store;
    private final InstanceSettings settings;
    private final Function<String, Optional<Integer>> partitionCount;
    private final Supplier<Collection<String>> topicNames;
    /** By group, then by name in name order (the order partitions are handed out in). */
    private final Map<String, TreeMap<String, Held>> byGroup = new HashMap<>();
    private int count;

    ConsumerInstances(GroupStore store, InstanceSettings settings, Function<String, Optional<Integer>> partitionCount,
            Supplier<Collection<String>> topicNames) {
        this.store = store;
        this.settings = settings;
        this.partitionCount = partitionCount;
        this.topicNames = topicNames;
    }

    void load(long now) {
        for (ConsumerInstance instance : store.instances()) {
            put(new Held(instance, now));
        }
    }

    int count() {
        return count;
    }

    /** A subscribed instance, the topics it subscribes to now and its share of their partitions. */
    record Member(ConsumerInstance instance, List<String> topics, List<Partition> partitions) {
    }

    /**
     * The group's subscribed instances in name order, as its members: Strimzi's bridge keeps a subscribed instance as a
     * Kafka consumer in the group, which {@code kafka-consumer-groups} shows. Instances given partitions by hand are
     * not members, as a Kafka consumer using {@code assign} is not.
     */
    List<Member> members(String group) {
        TreeMap<String, Held> instances = byGroup.get(group);
        if (instances == null) {
            return List.of();
        }
        return instances.values().stream().filter(held -> held.instance.subscribed())
                .map(held -> new Member(held.instance, subscribedTopics(held), partitions(held))).toList();
    }

    /** Whether the group has subscribed instances, its {@link #members}. */
    boolean hasMembers(String group) {
        TreeMap<String, Held> instances = byGroup.get(group);
        return instances != null && instances.values().stream().anyMatch(held -> held.instance.subscribed());
    }

    /** The groups that have subscribed instances. */
    List<String> groupsWithMembers() {
        return byGroup.keySet().stream().filter(this::hasMembers).toList();
    }

    /** Whether the group has HTTP consumer instances: they read from its offsets as members would. */
    boolean inUse(String group) {
        return byGroup.containsKey(group);
    }

    CompletableFuture<ConsumerInstance> create(ConsumerGroup kafkaGroup, ConsumerInstance instance, long now) {
        if (kafkaGroup != null && kafkaGroup.occupied()) {
            throw new InstanceRefusal(Reason.CONFLICT, "group " + instance.group() + " is in use by Kafka consumers;"
                    + " HTTP consumer instances cannot join it");
        }
        if (find(instance.group(), instance.name()).isPresent()) {
            throw new InstanceRefusal(Reason.CONFLICT, "A consumer instance with the specified name already exists in"
                    + " the Kafka Bridge.");
        }
        if (count >= settings.maxInstances()) {
            throw new InstanceRefusal(Reason.TOO_MANY, "the cluster has " + count + " HTTP consumer instances open,"
                    + " the most it allows; delete some or wait for idle ones to expire");
        }
        put(new Held(instance, now));
        LOG.infof("HTTP consumer instance %s of group %s created", instance.name(), instance.group());
        return store.saveInstance(instance).thenApply(v -> instance);
    }

    CompletableFuture<Void> delete(String group, String name) {
        Held held = held(group, name, 0);
        remove(held.instance);
        return store.removeInstance(held.instance);
    }

    /** The instance and its partitions now; any request counts as a use. */
    InstanceView view(ConsumerGroup kafkaGroup, String group, String name, long now) {
        Held held = held(group, name, now);
        List<PartitionPosition> partitions = new ArrayList<>();
        Map<Partition, Long> positions = positions(held.instance);
        for (Partition p : partitions(held)) {
            CommittedOffset committed = kafkaGroup == null ? null
                    : kafkaGroup.offsets.get(new TopicPartitionKey(p.topic(), p.partition()));
            partitions.add(new PartitionPosition(p.topic(), p.partition(), positions.get(p),
                    committed == null ? null : committed.offset()));
        }
        return new InstanceView(held.instance, partitions);
    }

    CompletableFuture<Void> subscribe(String group, String name, List<String> topics, String pattern, long now) {
        Held held = held(group, name, now);
        if (!held.instance.assigned().isEmpty()) {
            throw new InstanceRefusal(Reason.CONFLICT, "Subscriptions to topics, partitions, and patterns are mutually"
                    + " exclusive.");
        }
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new InstanceRefusal(Reason.INVALID, "topic_pattern is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        return change(held, held.instance.withSubscription(topics, pattern));
    }

    CompletableFuture<Void> assign(String group, String name, List<Partition> partitions, long now) {
        Held held = held(group, name, now);
        if (held.instance.subscribed()) {
            throw new InstanceRefusal(Reason.CONFLICT, "Subscriptions to topics, partitions, and patterns are mutually"
                    + " exclusive.");
        }
        for (Partition p : partitions) {
            if (partitionCount.apply(p.topic()).map(n -> p.partition() < 0 || p.partition() >= n).orElse(true)) {
                throw new InstanceRefusal(Reason.NOT_FOUND, "partition " + p.partition() + " of topic " + p.topic()
                        + " does not exist");
            }
        }
        return change(held, held.instance.withAssigned(partitions.stream().distinct().toList()));
    }

    /**
     * Moves the positions of partitions the instance reads now. With {@code commit} the positions it had before are
     * committed, as a Kafka consumer's auto-commit does at each poll: what the previous read handed out.
     */
    CompletableFuture<Void> seek(Map<String, ConsumerGroup> groups, OffsetCommits commits, String group, String name,
            List<Position> moves, boolean commit, long now) {
        Held held = held(group, name, now);
        List<Partition> reading = partitions(held);
        List<Position> previous = held.instance.positions().stream()
                .filter(p -> p.offset() >= 0 && reading.contains(new Partition(p.topic(), p.partition())))
                .toList();
        Map<Partition, Long> positions = new LinkedHashMap<>();
        // positions of partitions no longer read are dropped: coming back, a partition starts from the commit
        positions(held.instance).forEach((p, offset) -> {
            if (reading.contains(p)) {
                positions.put(p, offset);
            }
        });
        for (Position move : moves) {
            Partition p = new Partition(move.topic(), move.partition());
            if (!reading.contains(p)) {
                throw new InstanceRefusal(Reason.NOT_FOUND, "partition " + p.partition() + " of topic " + p.topic()
                        + " is not assigned to this consumer instance");
            }
            positions.put(p, move.offset());
        }
        CompletableFuture<Void> changed = change(held, held.instance.withPositions(positions.entrySet().stream()
                .map(e -> new Position(e.getKey().topic(), e.getKey().partition(), e.getValue())).toList()));
        if (!commit) {
            return changed;
        }
        // as a Kafka consumer's auto-commit, a failed one is logged and the read goes on
        CompletableFuture<Void> committed = commit(groups, commits, group, previous, null).exceptionally(e -> {
            LOG.infof("the auto-commit of HTTP consumer instance %s of group %s failed: %s", name, group,
                    e.getMessage());
            return null;
        });
        return changed.thenCombine(committed, (a, b) -> null);
    }

    /** Commits the given offsets, or, for none, the positions of every partition the instance reads. */
    CompletableFuture<Void> commit(Map<String, ConsumerGroup> groups, OffsetCommits commits, String group,
            String name, List<Position> offsets, String metadata, long now) {
        Held held = held(group, name, now);
        List<Position> committed = offsets;
        if (committed == null) {
            List<Partition> reading = partitions(held);
            committed = held.instance.positions().stream()
                    .filter(p -> p.offset() >= 0 && reading.contains(new Partition(p.topic(), p.partition())))
                    .toList();
        }
        return commit(groups, commits, group, committed, metadata);
    }

    private static CompletableFuture<Void> commit(Map<String, ConsumerGroup> groups, OffsetCommits commits,
            String group, List<Position> offsets, String metadata) {
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        OffsetCommitRequestData request = new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(-1)
                .setMemberId("");
        Map<String, OffsetCommitRequestTopic> topics = new LinkedHashMap<>();
        for (Position p : offsets) {
            topics.computeIfAbsent(p.topic(), t -> new OffsetCommitRequestTopic().setName(t)).partitions()
                    .add(new OffsetCommitRequestPartition()
                            .setPartitionIndex(p.partition())
                            .setCommittedOffset(p.offset())
                            .setCommittedLeaderEpoch(-1)
                            .setCommittedMetadata(metadata));
        }
        request.topics().addAll(topics.values());
        return commits.commit(groups, request).thenApply(ConsumerInstances::refuseFailedCommit);
    }

    private static Void refuseFailedCommit(OffsetCommitResponseData response) {
        for (var topic : response.topics()) {
            for (var partition : topic.partitions()) {
                Errors error = Errors.forCode(partition.errorCode());
                switch (error) {
                    case NONE -> {
                    }
                    case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID ->
                        throw new InstanceRefusal(Reason.CONFLICT, "the group is in use by Kafka consumers now: its"
                                + " offsets are theirs to commit");
                    case UNKNOWN_TOPIC_OR_PARTITION -> throw new InstanceRefusal(Reason.NOT_FOUND, "partition "
                            + partition.partitionIndex() + " of topic " + topic.name() + " does not exist");
                    case OFFSET_METADATA_TOO_LARGE -> throw new InstanceRefusal(Reason.INVALID, error.message());
                    default -> throw new InstanceRefusal(Reason.UNAVAILABLE, "the commit failed: " + error.message());
                }
            }
        }
        return null;
    }

    /** Removes the instances idle longer than the timeout; their partitions go to the others at their next request. */
    void expire(long now) {
        List<ConsumerInstance> idle = byGroup.values().stream().flatMap(m -> m.values().stream())
                .filter(h -> now - h.lastUsed > settings.idleTimeoutMs())
                .map(h -> h.instance)
                .toList();
        for (ConsumerInstance instance : idle) {
            LOG.infof("HTTP consumer instance %s of group %s expired after %d ms idle", instance.name(),
                    instance.group(), settings.idleTimeoutMs());
            remove(instance);
            store.removeInstance(instance).exceptionally(e -> {
                LOG.warnf("the expired HTTP consumer instance %s of group %s could not be removed from the state: %s",
                        instance.name(), instance.group(), e.toString());
                return null;
            });
        }
    }

    /** The partitions the instance reads now: given by hand, or its range of each subscribed topic. */
    private List<Partition> partitions(Held held) {
        ConsumerInstance instance = held.instance;
        if (!instance.subscribed()) {
            return instance.assigned();
        }
        List<Held> members = List.copyOf(byGroup.get(instance.group()).values());
        List<Partition> mine = new ArrayList<>();
        for (String topic : subscribedTopics(held)) {
            int partitions = partitionCount.apply(topic).orElse(0);
            List<String> sharing = members.stream().filter(m -> subscribedTopics(m).contains(topic))
                    .map(m -> m.instance.name()).toList();
            int index = sharing.indexOf(instance.name());
            int each = partitions / sharing.size();
            int extra = partitions % sharing.size();
            int first = index * each + Math.min(index, extra);
            for (int p = first; p < first + each + (index < extra ? 1 : 0); p++) {
                mine.add(new Partition(topic, p));
            }
        }
        return mine;
    }

    private List<String> subscribedTopics(Held held) {
        if (held.pattern == null) {
            return held.instance.topics().stream().filter(t -> partitionCount.apply(t).isPresent()).sorted().toList();
        }
        return topicNames.get().stream().filter(t -> held.pattern.matcher(t).matches()).sorted().toList();
    }

    private static Map<Partition, Long> positions(ConsumerInstance instance) {
        Map<Partition, Long> positions = new HashMap<>();
        instance.positions().forEach(p -> positions.put(new Partition(p.topic(), p.partition()), p.offset()));
        return positions;
    }

    private CompletableFuture<Void> change(Held held, ConsumerInstance changed) {
        held.set(changed);
        return store.saveInstance(changed);
    }

    private Optional<Held> find(String group, String name) {
        return Optional.ofNullable(byGroup.get(group)).map(m -> m.get(name));
    }

    private Held held(String group, String name, long now) {
        Held held = find(group, name).orElseThrow(() -> new InstanceRefusal(Reason.NOT_FOUND,
                "The specified consumer instance was not found."));
        if (now > 0) {
            held.lastUsed = now;
        }
        return held;
    }

    private void put(Held held) {
        byGroup.computeIfAbsent(held.instance.group(), g -> new TreeMap<>()).put(held.instance.name(), held);
        count++;
    }

    private void remove(ConsumerInstance instance) {
        TreeMap<String, Held> group = byGroup.get(instance.group());
        if (group != null && group.remove(instance.name()) != null) {
            count--;
            if (group.isEmpty()) {
                byGroup.remove(instance.group());
            }
        }
    }
}
