package io.sluice.broker.leadership;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.broker.store.PartitionStore;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * Keeps leadership where the data lives: for each partition this broker leads, the owners its store has settled on
 * are compared with the replicas in the coordinator's view, and a difference is reported with AlterPartition, as is
 * every partition once per leadership epoch. A new partition has no leader until the broker whose store owns its data
 * first reports it (the coordinator answers the creation of a topic once they have). The coordinator then makes the owners the
 * replicas and moves the leadership to the primary owner, so that
 * a leader's writes start on its own node and its reads are local. Only leaders (and primary owners of leaderless
 * partitions) report, and only for data the store is not moving, so a rebalance moves leadership once, after it.
 */
public final class OwnerReports {

    private static final Logger LOG = Logger.getLogger(OwnerReports.class);
    private static final String NODE_PREFIX = "broker-";

    private final int brokerId;
    private final PartitionStore store;
    private final Supplier<ClusterView> view;
    private final Function<AlterPartitionRequestData, CompletableFuture<AlterPartitionResponseData>> send;
    private final BiConsumer<Uuid, Integer> stepDown;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    /** The leader epoch at which each led partition's owners were last reported and heard, by topic id:partition. */
    private final Map<String, Integer> reported = new ConcurrentHashMap<>();

    /**
     * {@code stepDown}: stops appending to a partition this broker leads, before it reports that another broker owns
     * its data first; the next view opens the log again if the leadership stays.
     */
    public OwnerReports(int brokerId, PartitionStore store, Supplier<ClusterView> view,
            Function<AlterPartitionRequestData, CompletableFuture<AlterPartitionResponseData>> send,
            BiConsumer<Uuid, Integer> stepDown) {
        this.brokerId = brokerId;
        this.store = store;
        this.view = view;
        this.send = send;
        this.stepDown = stepDown;
    }

    /** The store node name of a broker. */
    public static String nodeName(int brokerId) {
        return NODE_PREFIX + brokerId;
    }

    /** Reports the partitions whose owners differ from their replicas; one report at a time. */
    public void check() {
        if (!store.available() || !inFlight.compareAndSet(false, true)) {
            return;
        }
        ClusterView current = view.get();
        AlterPartitionRequestData request = differences(current);
        if (request.topics().isEmpty()) {
            inFlight.set(false);
            return;
        }
        handOver(request, current);
        send.apply(request).whenComplete((response, error) -> {
            inFlight.set(false);
            if (error != null) {
                LOG.infof("reporting partition owners failed: %s", error.getMessage());
            } else if (response.errorCode() != Errors.NONE.code()) {
                LOG.infof("the coordinator refused the partition owners: %s", Errors.forCode(response.errorCode()));
            } else {
                heard(request);
            }
        });
    }

    /**
     * Every partition of more than one replica in the view, led here or not, by topic name: its settled owners, or
     * empty while the store moves its data.
     */
    public Map<String, List<Optional<List<Integer>>>> owners() {
        Map<String, List<Optional<List<Integer>>>> owners = new TreeMap<>();
        for (TopicView topic : view.get().topics().values()) {
            if (topic.replicationFactor() > 1) {
                owners.put(topic.name(), topic.partitions().stream()
                        .map(p -> owners(p.replicas().size(), topic, p)).toList());
            }
        }
        return owners;
    }

    /**
     * Stops appending to the reported partitions whose primary owner is another live broker, before the coordinator
     * moves them there: the new leader reads the partition's log when it takes over, and a batch this broker appended
     * after that would conflict with its first one.
     */
    private void handOver(AlterPartitionRequestData request, ClusterView current) {
        for (AlterPartitionRequestData.TopicData topic : request.topics()) {
            for (AlterPartitionRequestData.PartitionData p : topic.partitions()) {
                int primary = p.newIsr().get(0);
                if (primary != brokerId && current.brokers().containsKey(primary)) {
                    LOG.infof("%s-%d: stepping down at epoch %d; reporting that broker %d owns its data first",
                            current.topic(topic.topicId()).name(), p.partitionIndex(), p.leaderEpoch(), primary);
                    stepDown.accept(topic.topicId(), p.partitionIndex());
                }
            }
        }
    }

    private void heard(AlterPartitionRequestData request) {
        for (AlterPartitionRequestData.TopicData topic : request.topics()) {
            for (AlterPartitionRequestData.PartitionData p : topic.partitions()) {
                reported.put(key(topic.topicId(), p.partitionIndex()), p.leaderEpoch());
            }
        }
    }

    private static String key(Uuid topicId, int partition) {
        return topicId + ":" + partition;
    }

    /**
     * The led partitions of more than one replica that do not follow their settled owners, or whose owners the
     * coordinator has not yet heard of at this leadership epoch; and the new ones without a leader whose data this
     * broker's store owns first, which it takes (the coordinator waits for both before it answers the creation of a
     * topic).
     */
    AlterPartitionRequestData differences(ClusterView current) {
        AlterPartitionRequestData request = new AlterPartitionRequestData();
        Set<String> led = new HashSet<>();
        for (TopicView topic : current.topics().values()) {
            List<AlterPartitionRequestData.PartitionData> moved = new ArrayList<>();
            for (PartitionView p : topic.partitions()) {
                if (p.replicas().size() < 2) {
                    continue;
                }
                Optional<List<Integer>> owners;
                if (p.leader() == brokerId) {
                    String key = key(topic.id(), p.partition());
                    led.add(key);
                    boolean unheard = !Integer.valueOf(p.leaderEpoch()).equals(reported.get(key));
                    owners = owners(p.replicas().size(), topic, p).filter(o -> unheard || misplaced(p, o, current));
                } else if (p.leader() < 0) {
                    owners = owners(p.replicas().size(), topic, p).filter(o -> o.get(0) == brokerId);
                } else {
                    continue;
                }
                owners.ifPresent(o -> moved.add(new AlterPartitionRequestData.PartitionData()
                        .setPartitionIndex(p.partition())
                        .setLeaderEpoch(p.leaderEpoch())
                        .setPartitionEpoch(p.leaderEpoch())
                        .setNewIsr(new ArrayList<>(o))));
            }
            if (!moved.isEmpty()) {
                request.topics().add(new AlterPartitionRequestData.TopicData().setTopicId(topic.id())
                        .setPartitions(moved));
            }
        }
        reported.keySet().retainAll(led);
        return request;
    }

    /**
     * Whether the coordinator should hear of the owners: the replicas do not start with them, or the primary owner is
     * a live broker that does not lead (it was not yet live when the replicas last followed the owners).
     */
    private boolean misplaced(PartitionView p, List<Integer> owners, ClusterView current) {
        boolean replicasFollow = owners.equals(p.replicas().subList(0, Math.min(owners.size(), p.replicas().size())));
        int primary = owners.get(0);
        return !replicasFollow || (primary != brokerId && current.brokers().containsKey(primary));
    }

    /** The settled owners as broker ids; empty while unsettled or if a member is not a broker. */
    private Optional<List<Integer>> owners(int rf, TopicView topic, PartitionView p) {
        return store.settledOwners(rf, topic.id().toString(), p.partition()).flatMap(names -> {
            List<Integer> ids = new ArrayList<>(names.size());
            for (String name : names) {
                if (!name.startsWith(NODE_PREFIX)) {
                    return Optional.empty();
                }
                try {
                    ids.add(Integer.parseInt(name.substring(NODE_PREFIX.length())));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
            return Optional.of(ids);
        });
    }
}
