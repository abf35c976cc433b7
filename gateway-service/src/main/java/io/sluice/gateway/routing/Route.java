package io.sluice.gateway.routing;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * Where a partition's requests go: its leader broker, or the error that says why none can take them; with the topic's
 * name (null for an unknown topic id).
 */
record Route(String topic, int broker, Errors error) {

    static Route of(ClusterView view, String topicName, Uuid topicId, int partition) {
        boolean byId = topicId != null && !Uuid.ZERO_UUID.equals(topicId) && (topicName == null || topicName.isEmpty());
        TopicView topic = byId ? view.topic(topicId) : view.topic(topicName);
        if (topic == null) {
            return byId ? new Route(null, -1, Errors.UNKNOWN_TOPIC_ID)
                    : new Route(topicName, -1, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        PartitionView p = topic.partition(partition);
        if (p == null) {
            return new Route(topic.name(), -1, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (p.leader() < 0 || !view.brokers().containsKey(p.leader())) {
            return new Route(topic.name(), -1, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        return new Route(topic.name(), p.leader(), Errors.NONE);
    }

    boolean routable() {
        return error == Errors.NONE;
    }
}
