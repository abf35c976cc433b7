package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.CoordinatorConfig;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.BrokerRecord;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.protocol.contract.CoordinatorContract;

/**
 * Metadata and DescribeCluster answered from the cluster state: the live brokers, the coordinator itself as
 * controller, and per partition its real leader, epoch, replicas and in-sync replicas (the live ones). Unknown topics
 * are created when the request and the cluster both allow it.
 */
final class ClusterMetadataApi {

    /**
     * Metadata v10 and v11 carry topic ids, but name every topic in their answers: a topic asked for by id alone is
     * served from v12 on and refused before, as Kafka refuses it.
     */
    private static final short TOPIC_IDS_VERSION = 12;

    private final ClusterState state;
    private final CoordinatorConfig.Coordinator config;
    private final TopicDefaults defaults;

    ClusterMetadataApi(ClusterState state, CoordinatorConfig.Coordinator config, TopicDefaults defaults) {
        this.state = state;
        this.config = config;
        this.defaults = defaults;
    }

    CompletableFuture<ApiMessage> metadata(MetadataRequestData request, short version) {
        boolean all = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (all) {
            List<MetadataResponseTopic> topics = new ArrayList<>();
            state.topics().forEach(t -> topics.add(describe(t)));
            return CompletableFuture.completedFuture(response(topics));
        }
        boolean autoCreate = config.autoCreateTopics() && (version < 4 || request.allowAutoTopicCreation());
        List<CompletableFuture<MetadataResponseTopic>> topics = new ArrayList<>();
        for (MetadataRequestData.MetadataRequestTopic wanted : request.topics()) {
            topics.add(wanted.name() == null && version < TOPIC_IDS_VERSION
                    ? CompletableFuture.completedFuture(error("", null, Errors.INVALID_REQUEST))
                    : topic(wanted, autoCreate));
        }
        return CompletableFuture.allOf(topics.toArray(CompletableFuture[]::new))
                .thenApply(v -> response(topics.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<MetadataResponseTopic> topic(MetadataRequestData.MetadataRequestTopic wanted,
            boolean autoCreate) {
        if (wanted.name() == null) {
            Uuid id = wanted.topicId();
            return CompletableFuture.completedFuture(state.topic(id).map(this::describe)
                    .orElseGet(() -> error(null, id, Errors.UNKNOWN_TOPIC_ID)));
        }
        Optional<TopicRecord> known = state.topic(wanted.name());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(describe(known.get()));
        }
        if (!autoCreate) {
            return CompletableFuture.completedFuture(error(wanted.name(), null, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        int live = state.liveBrokers().size();
        if (live == 0) {
            return CompletableFuture.completedFuture(error(wanted.name(), null, Errors.LEADER_NOT_AVAILABLE));
        }
        return state.createTopic(wanted.name(), defaults.partitions(), defaults.replicationFactorFor(live), Map.of(),
                false)
                .handle((created, failure) -> {
                    if (failure == null) {
                        return describe(created);
                    }
                    Errors error = KafkaError.of(failure).error();
                    if (error == Errors.TOPIC_ALREADY_EXISTS) {
                        return state.topic(wanted.name()).map(this::describe)
                                .orElseGet(() -> error(wanted.name(), null, Errors.LEADER_NOT_AVAILABLE));
                    }
                    return error(wanted.name(), null, error);
                });
    }

    private static MetadataResponseTopic error(String name, Uuid id, Errors error) {
        return new MetadataResponseTopic().setName(name).setTopicId(id == null ? Uuid.ZERO_UUID : id)
                .setErrorCode(error.code());
    }

    private MetadataResponseTopic describe(TopicRecord topic) {
        SortedSet<Integer> live = state.liveBrokers();
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(Uuid.fromString(topic.id()))
                .setIsInternal(false);
        for (PartitionRecord p : topic.partitions()) {
            boolean led = p.leader() >= 0 && live.contains(p.leader());
            result.partitions().add(new MetadataResponsePartition()
                    .setPartitionIndex(p.partition())
                    .setErrorCode(led ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                    .setLeaderId(led ? p.leader() : -1)
                    .setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(p.replicas()))
                    .setIsrNodes(new ArrayList<>(p.replicas().stream().filter(live::contains).toList()))
                    .setOfflineReplicas(new ArrayList<>(p.replicas().stream().filter(r -> !live.contains(r)).toList())));
        }
        return result;
    }

    private MetadataResponseData response(List<MetadataResponseTopic> topics) {
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(state.clusterId())
                .setControllerId(CoordinatorContract.NODE_ID);
        liveBrokers().forEach(broker -> response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(broker.id()).setHost(broker.host()).setPort(broker.port())));
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(CoordinatorContract.NODE_ID).setHost(config.advertisedHost()).setPort(config.port()));
        topics.forEach(t -> response.topics().add(t));
        return response;
    }

    DescribeClusterResponseData describeCluster() {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(state.clusterId())
                .setControllerId(CoordinatorContract.NODE_ID);
        liveBrokers().forEach(broker -> response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(broker.id()).setHost(broker.host()).setPort(broker.port())));
        return response;
    }

    private List<BrokerRecord> liveBrokers() {
        SortedSet<Integer> live = state.liveBrokers();
        return state.brokers().stream().filter(broker -> live.contains(broker.id())).toList();
    }
}
