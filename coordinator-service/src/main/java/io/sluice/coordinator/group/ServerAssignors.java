package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

/**
 * The consumer group protocol's server-side assignors, as Kafka names them: {@code uniform} (the default: every
 * member within one partition of every other subscribed to the same topics, and partitions stay where they were
 * while that holds) and {@code range} (each topic's partitions in contiguous ranges, so members co-partition).
 */
final class ServerAssignors {

    static final String UNIFORM = "uniform";
    static final String RANGE = "range";

    private ServerAssignors() {
    }

    static boolean known(String name) {
        return UNIFORM.equals(name) || RANGE.equals(name);
    }

    /**
     * @param subscriptions every member's subscribed topics that exist, topic id to partition count
     * @param previous the last target assignment, kept where the assignor allows
     * @return every member's partitions
     */
    static Map<String, Set<AssignedPartition>> assign(String assignor,
            SortedMap<String, Map<Uuid, Integer>> subscriptions, Map<String, Set<AssignedPartition>> previous) {
        Map<String, Set<AssignedPartition>> assignment = new TreeMap<>();
        subscriptions.keySet().forEach(member -> assignment.put(member, new TreeSet<>()));
        if (RANGE.equals(assignor)) {
            range(subscriptions, assignment);
        } else {
            uniform(subscriptions, previous, assignment);
        }
        return assignment;
    }

    private static void range(SortedMap<String, Map<Uuid, Integer>> subscriptions,
            Map<String, Set<AssignedPartition>> assignment) {
        for (Map.Entry<Uuid, List<String>> topic : subscribers(subscriptions).entrySet()) {
            List<String> members = topic.getValue();
            int partitions = partitionCount(subscriptions, members.get(0), topic.getKey());
            int each = partitions / members.size();
            int extra = partitions % members.size();
            int next = 0;
            for (int i = 0; i < members.size(); i++) {
                int count = each + (i < extra ? 1 : 0);
                for (int p = next; p < next + count; p++) {
                    assignment.get(members.get(i)).add(new AssignedPartition(topic.getKey(), p));
                }
                next += count;
            }
        }
    }

    /**
     * Sticky first (a partition stays with its member while subscribed), the rest to the least loaded subscriber,
     * then partitions move from a member to a subscriber with two fewer until none has: every move lowers the sum
     * of the squared loads, so it ends.
     */
    private static void uniform(SortedMap<String, Map<Uuid, Integer>> subscriptions,
            Map<String, Set<AssignedPartition>> previous, Map<String, Set<AssignedPartition>> assignment) {
        Map<Uuid, List<String>> subscribers = subscribers(subscriptions);
        Map<AssignedPartition, String> owners = new HashMap<>();
        previous.forEach((member, partitions) -> {
            Map<Uuid, Integer> topics = subscriptions.get(member);
            if (topics == null) {
                return;
            }
            for (AssignedPartition p : partitions) {
                Integer count = topics.get(p.topicId());
                if (count != null && p.partition() < count && owners.putIfAbsent(p, member) == null) {
                    assignment.get(member).add(p);
                }
            }
        });
        List<AssignedPartition> all = new ArrayList<>();
        subscribers.forEach((topic, members) -> {
            for (int p = 0; p < partitionCount(subscriptions, members.get(0), topic); p++) {
                all.add(new AssignedPartition(topic, p));
            }
        });
        for (AssignedPartition p : all) {
            if (!owners.containsKey(p)) {
                String member = leastLoaded(subscribers.get(p.topicId()), assignment);
                owners.put(p, member);
                assignment.get(member).add(p);
            }
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (AssignedPartition p : all) {
                String owner = owners.get(p);
                String least = leastLoaded(subscribers.get(p.topicId()), assignment);
                if (assignment.get(owner).size() > assignment.get(least).size() + 1) {
                    assignment.get(owner).remove(p);
                    assignment.get(least).add(p);
                    owners.put(p, least);
                    moved = true;
                }
            }
        }
    }

    /** Each subscribed topic's members, in member id order. */
    private static Map<Uuid, List<String>> subscribers(SortedMap<String, Map<Uuid, Integer>> subscriptions) {
        Map<Uuid, List<String>> subscribers = new TreeMap<>(AssignedPartition.TOPIC_ORDER);
        subscriptions.forEach((member, topics) -> topics.keySet()
                .forEach(topic -> subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(member)));
        return subscribers;
    }

    private static int partitionCount(SortedMap<String, Map<Uuid, Integer>> subscriptions, String member, Uuid topic) {
        return subscriptions.get(member).get(topic);
    }

    private static String leastLoaded(List<String> members, Map<String, Set<AssignedPartition>> assignment) {
        return members.stream().min(Comparator.comparingInt((String m) -> assignment.get(m).size())).orElseThrow();
    }
}
