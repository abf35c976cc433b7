package io.sluice.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * Metadata, answered from the gateway's view: the gateway is the only broker and the leader of every partition; the
 * real broker ids stay as replicas so clients still see the replication factor. Topics the view lacks are asked of
 * the coordinator, which auto-creates them when allowed.
 */
final class GatewayAsLeaderMetadata {

    private static final short COORDINATOR_METADATA_VERSION = 12;

    private final MetadataView metadata;
    private final GatewayNode node;

    GatewayAsLeaderMetadata(MetadataView metadata, GatewayNode node) {
        this.metadata = metadata;
        this.node = node;
    }

    CompletableFuture<ApiMessage> handle(MetadataRequestData request, short version) {
        ClusterView view = metadata.current();
        boolean all = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (all) {
            List<MetadataResponseTopic> topics = new ArrayList<>();
            view.topics().values().forEach(t -> topics.add(describe(t)));
            return CompletableFuture.completedFuture(response(view, topics));
        }
        List<String> missing = new ArrayList<>();
        for (MetadataRequestData.MetadataRequestTopic wanted : request.topics()) {
            if (wanted.name() != null && view.topic(wanted.name()) == null) {
                missing.add(wanted.name());
            }
        }
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(response(view,
                    describeRequested(request, view, List.of(), Errors.UNKNOWN_TOPIC_OR_PARTITION)));
        }
        boolean autoCreate = version < 4 || request.allowAutoTopicCreation();
        MetadataRequestData ask = new MetadataRequestData().setAllowAutoTopicCreation(autoCreate);
        missing.forEach(name -> ask.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(name)));
        return metadata.forward(ask, COORDINATOR_METADATA_VERSION).<ApiMessage> thenCompose(answer -> {
            List<MetadataResponseTopic> fromCoordinator = ((MetadataResponseData) answer).topics().stream()
                    .map(this::toClientView).toList();
            return metadata.refresh().thenApply(fresh -> response(fresh,
                    describeRequested(request, fresh, fromCoordinator, Errors.UNKNOWN_TOPIC_OR_PARTITION)));
        }).exceptionally(coordinatorAway -> response(view,
                describeRequested(request, view, List.of(), Errors.LEADER_NOT_AVAILABLE)));
    }

    /**
     * The requested topics as the view has them, else as the coordinator answered them, else with {@code missing}:
     * LEADER_NOT_AVAILABLE when the coordinator could not be asked, so that clients ask again.
     */
    private List<MetadataResponseTopic> describeRequested(MetadataRequestData request, ClusterView view,
            List<MetadataResponseTopic> fromCoordinator, Errors missing) {
        List<MetadataResponseTopic> topics = new ArrayList<>();
        for (MetadataRequestData.MetadataRequestTopic wanted : request.topics()) {
            TopicView topic = wanted.name() != null ? view.topic(wanted.name()) : view.topic(wanted.topicId());
            if (topic != null) {
                topics.add(describe(topic));
                continue;
            }
            MetadataResponseTopic answered = fromCoordinator.stream()
                    .filter(t -> t.name() != null && t.name().equals(wanted.name()))
                    .findFirst().orElse(null);
            if (answered != null) {
                topics.add(answered);
            } else if (wanted.name() == null) {
                topics.add(new MetadataResponseTopic().setTopicId(wanted.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
            } else {
                topics.add(new MetadataResponseTopic().setName(wanted.name()).setErrorCode(missing.code()));
            }
        }
        return topics;
    }

    private MetadataResponseTopic describe(TopicView topic) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(false);
        for (PartitionView p : topic.partitions()) {
            result.partitions().add(partition(p.partition(), p.leader(), p.leaderEpoch(), p.replicas(), p.isr()));
        }
        return result;
    }

    /** A coordinator answer for a topic the view did not have yet, with leaders replaced by the gateway. */
    private MetadataResponseTopic toClientView(MetadataResponseTopic topic) {
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId() == null ? Uuid.ZERO_UUID : topic.topicId())
                .setErrorCode(topic.errorCode())
                .setIsInternal(false);
        for (MetadataResponsePartition p : topic.partitions()) {
            result.partitions().add(partition(p.partitionIndex(), p.leaderId(), p.leaderEpoch(), p.replicaNodes(),
                    p.isrNodes()));
        }
        return result;
    }

    private MetadataResponsePartition partition(int index, int leader, int epoch, List<Integer> replicas,
            List<Integer> isr) {
        boolean led = leader >= 0;
        return new MetadataResponsePartition()
                .setPartitionIndex(index)
                .setErrorCode(led ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                .setLeaderId(led ? node.id() : -1)
                .setLeaderEpoch(epoch)
                .setReplicaNodes(new ArrayList<>(replicas))
                .setIsrNodes(new ArrayList<>(isr))
                .setOfflineReplicas(new ArrayList<>());
    }

    private MetadataResponseData response(ClusterView view, List<MetadataResponseTopic> topics) {
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(view.clusterId())
                .setControllerId(node.id());
        response.brokers().add(new MetadataResponseBroker()
                .setNodeId(node.id())
                .setHost(node.host())
                .setPort(node.port()));
        topics.forEach(t -> response.topics().add(t));
        return response;
    }
}
