package io.sluice.protocol.metadata;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * An immutable picture of the cluster as the coordinator last described it: live brokers and, per topic, each
 * partition's leader, epoch and replicas. Brokers and gateways route by it.
 */
public record ClusterView(String clusterId, Map<Integer, BrokerNode> brokers, Map<String, TopicView> topics,
        Map<Uuid, TopicView> topicsById) {

    public static final ClusterView EMPTY = new ClusterView("", Map.of(), Map.of(), Map.of());

    /** A live broker and the address its Kafka listener is reached at. */
    public record BrokerNode(int id, String host, int port) {
    }

    public record TopicView(String name, Uuid id, List<PartitionView> partitions) {

        public PartitionView partition(int index) {
            return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
        }

        /** The replication factor, as the number of assigned replicas. */
        public int replicationFactor() {
            return partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
        }
    }

    public record PartitionView(int partition, int leader, int leaderEpoch, List<Integer> replicas,
            List<Integer> isr) {
    }

    /** Builds the view from the coordinator's Metadata response (topics with errors are left out). */
    public static ClusterView of(MetadataResponseData metadata) {
        Map<Integer, BrokerNode> brokers = new HashMap<>();
        for (MetadataResponseData.MetadataResponseBroker broker : metadata.brokers()) {
            brokers.put(broker.nodeId(), new BrokerNode(broker.nodeId(), broker.host(), broker.port()));
        }
        Map<String, TopicView> topics = new HashMap<>();
        Map<Uuid, TopicView> byId = new HashMap<>();
        for (MetadataResponseData.MetadataResponseTopic topic : metadata.topics()) {
            if (topic.errorCode() != Errors.NONE.code()) {
                continue;
            }
            PartitionView[] partitions = new PartitionView[topic.partitions().size()];
            for (MetadataResponseData.MetadataResponsePartition p : topic.partitions()) {
                if (p.partitionIndex() >= 0 && p.partitionIndex() < partitions.length) {
                    partitions[p.partitionIndex()] = new PartitionView(p.partitionIndex(), p.leaderId(),
                            p.leaderEpoch(), List.copyOf(p.replicaNodes()), List.copyOf(p.isrNodes()));
                }
            }
            if (java.util.Arrays.asList(partitions).contains(null)) {
                continue;
            }
            TopicView view = new TopicView(topic.name(), topic.topicId(), List.of(partitions));
            topics.put(view.name(), view);
            byId.put(view.id(), view);
        }
        return new ClusterView(metadata.clusterId(), Map.copyOf(brokers), Map.copyOf(topics), Map.copyOf(byId));
    }

    public TopicView topic(String name) {
        return topics.get(name);
    }

    public TopicView topic(Uuid id) {
        return topicsById.get(id);
    }
}
