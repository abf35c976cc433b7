package io.sluice.coordinator.leadership;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;

/**
 * Where partitions live and who leads them. Pure functions over the live broker set: the coordinator applies them
 * whenever brokers come and go. The data of a partition with several replicas sits in the brokers' replicated store, so
 * when no assigned replica is alive any live broker can lead it. A partition with one replica lives in its broker's
 * own files: only that broker can lead it, and while it is away the partition is offline, as in Kafka.
 */
public final class Leadership {

    private Leadership() {
    }

    /** Replicas for each new partition, round-robin over the live brokers from a rotating start. */
    public static List<List<Integer>> assign(int partitions, int replicationFactor, List<Integer> live, int start) {
        List<List<Integer>> assignment = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(live.get((start + p + r) % live.size()));
            }
            assignment.add(replicas);
        }
        return assignment;
    }

    /**
     * New partitions numbered from {@code first}, replicas by {@link #assign}, at epoch 0. A partition of one replica
     * is led by it. One of several has no leader yet: the broker whose store owns its data first takes it when it
     * reports ({@link #followOwners}), so the leadership does not move right after clients first find it.
     */
    public static List<PartitionRecord> place(int first, int count, int replicationFactor, List<Integer> live,
            int start) {
        List<List<Integer>> assignment = assign(count, replicationFactor, live, start);
        List<PartitionRecord> partitions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Integer> replicas = List.copyOf(assignment.get(i));
            partitions.add(new PartitionRecord(first + i, replicas.size() > 1 ? -1 : replicas.get(0), 0, replicas));
        }
        return partitions;
    }

    /**
     * The partition with a live leader: unchanged if its leader lives, else led by the first live replica, else (with
     * several replicas) by any live broker, else by none (-1). Every change of leader bumps the epoch.
     */
    public static PartitionRecord elect(PartitionRecord partition, SortedSet<Integer> live) {
        if (partition.leader() >= 0 && live.contains(partition.leader())) {
            return partition;
        }
        boolean anyBroker = partition.replicas().size() > 1 && !live.isEmpty();
        int leader = partition.replicas().stream().filter(live::contains).findFirst()
                .orElseGet(() -> anyBroker ? spread(partition.partition(), live) : -1);
        return leader == partition.leader() ? partition : partition.withLeader(leader);
    }

    private static int spread(int partition, SortedSet<Integer> live) {
        return new ArrayList<>(live).get(partition % live.size());
    }

    /** Every partition of a topic re-elected against the live brokers; the same record when nothing moved. */
    public static TopicRecord elect(TopicRecord topic, SortedSet<Integer> live) {
        List<PartitionRecord> partitions = new ArrayList<>(topic.partitions().size());
        boolean changed = false;
        for (PartitionRecord p : topic.partitions()) {
            PartitionRecord elected = elect(p, live);
            changed |= elected != p;
            partitions.add(elected);
        }
        return changed ? topic.withPartitions(List.copyOf(partitions)) : topic;
    }

    /** What an election an administrator asked for made of a partition: the partition as it now is, and why not. */
    public record Election(PartitionRecord partition, Errors error) {
    }

    /**
     * An election an administrator asks for (ElectLeaders), as Kafka's controller decides it. PREFERRED: the preferred
     * replica is the first one (the primary owner of the data, once its leader has reported the owners); not needed
     * when it leads, else it takes the leadership if it is live, else PREFERRED_LEADER_NOT_AVAILABLE. UNCLEAN: every
     * replica is in sync here (a write is acknowledged once every owner holds it), so it is not needed while the
     * partition has a leader; without one it is elected as when brokers come and go ({@link #elect}), or
     * ELIGIBLE_LEADERS_NOT_AVAILABLE when nobody can lead it. A new leader bumps the epoch.
     */
    public static Election electOnRequest(PartitionRecord partition, ElectionType type, SortedSet<Integer> live) {
        if (type == ElectionType.UNCLEAN) {
            if (partition.leader() >= 0) {
                return new Election(partition, Errors.ELECTION_NOT_NEEDED);
            }
            PartitionRecord elected = elect(partition, live);
            return new Election(elected, elected.leader() >= 0 ? Errors.NONE : Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        }
        int preferred = partition.replicas().get(0);
        if (partition.leader() == preferred) {
            return new Election(partition, Errors.ELECTION_NOT_NEEDED);
        }
        return live.contains(preferred) ? new Election(partition.withLeader(preferred), Errors.NONE)
                : new Election(partition, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
    }

    /** A new leadership epoch for the partitions a restarted broker leads, so stale state is fenced. */
    public static TopicRecord bumpLedBy(TopicRecord topic, int broker) {
        if (topic.partitions().stream().noneMatch(p -> p.leader() == broker)) {
            return topic;
        }
        return topic.withPartitions(topic.partitions().stream()
                .map(p -> p.leader() == broker ? p.withLeader(broker) : p)
                .toList());
    }

    /**
     * The partition once its leader has said which brokers' stores own its data, primary owner first: they become its
     * replicas (topped up from the old ones to the replication factor while the store has fewer members than that), and
     * the leadership moves to the first live owner, so that a leader writes to and reads from its own store. The same
     * record when nothing changes.
     */
    public static PartitionRecord followOwners(PartitionRecord partition, List<Integer> owners,
            SortedSet<Integer> live) {
        int replicationFactor = partition.replicas().size();
        List<Integer> replicas = new ArrayList<>(owners.subList(0, Math.min(owners.size(), replicationFactor)));
        partition.replicas().stream().filter(r -> !replicas.contains(r)).limit(replicationFactor - replicas.size())
                .forEach(replicas::add);
        int leader = owners.stream().filter(live::contains).findFirst().orElse(partition.leader());
        if (leader == partition.leader() && replicas.equals(partition.replicas())) {
            return partition;
        }
        PartitionRecord placed = partition.withReplicas(List.copyOf(replicas));
        return leader == partition.leader() ? placed : placed.withLeader(leader);
    }
}
