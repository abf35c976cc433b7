package io.sluice.broker.leadership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

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
 * are compared with the replicas in the coordinator's view, and a difference is reported with AlterPartition. The
 * coordinator then makes the owners the replicas and moves the leadership to the primary owner, so that a leader's
 * writes start on its own node and its reads are local. Only leaders report, and only for data the store is not
 * moving, so a rebalance moves leadership once, after it.
 */
public final class OwnerReports {

    private static final Logger LOG = Logger.getLogger(OwnerReports.class);
    private static final String NODE_PREFIX = "broker-";

    private final int brokerId;
    private final PartitionStore store;
    private final Supplier<ClusterView> view;
    private final Function<AlterPartitionRequestData, CompletableFuture<AlterPartitionResponseData>> send;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    public OwnerReports(int brokerId, PartitionStore store, Supplier<ClusterView> view,
            Function<AlterPartitionRequestData, CompletableFuture<AlterPartitionResponseData>> send) {
        this.brokerId = brokerId;
        this.store = store;
        this.view = view;
        this.send = send;
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
        AlterPartitionRequestData request = differences(view.get());
        if (request.topics().isEmpty()) {
            inFlight.set(false);
            return;
        }
        send.apply(request).whenComplete((response, error) -> {
            inFlight.set(false);
            if (error != null) {
                LOG.debugf("reporting partition owners failed: %s", error.getMessage());
            } else if (response.errorCode() != Errors.NONE.code()) {
                LOG.debugf("the coordinator refused the partition owners: %s", Errors.forCode(response.errorCode()));
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

    /** The led partitions of more than one replica that do not follow their settled owners. */
    AlterPartitionRequestData differences(ClusterView current) {
        AlterPartitionRequestData request = new AlterPartitionRequestData();
        for (TopicView topic : current.topics().values()) {
            List<AlterPartitionRequestData.PartitionData> moved = new ArrayList<>();
            for (PartitionView p : topic.partitions()) {
                if (p.leader() != brokerId || p.replicas().size() < 2) {
                    continue;
                }
                owners(p.replicas().size(), topic, p)
                        .filter(owners -> misplaced(p, owners, current))
                        .ifPresent(owners -> moved.add(new AlterPartitionRequestData.PartitionData()
                                .setPartitionIndex(p.partition())
                                .setLeaderEpoch(p.leaderEpoch())
                                .setPartitionEpoch(p.leaderEpoch())
                                .setNewIsr(new ArrayList<>(owners))));
            }
            if (!moved.isEmpty()) {
                request.topics().add(new AlterPartitionRequestData.TopicData().setTopicId(topic.id())
                        .setPartitions(moved));
            }
        }
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
