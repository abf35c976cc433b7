package io.sluice.operator.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class TopicOwnershipTest {

    @Test
    void theOldestResourceForATopicOwnsItInAnyNamespace() {
        Topic older = topic("payments", "invoices", "2026-01-01T00:00:00Z", "streaming");
        Topic newer = topic("streaming", "invoices-copy", "2026-02-01T00:00:00Z", null);
        newer.getSpec().setTopicName("invoices");

        assertThat(TopicOwnership.ownerOtherThan(newer, Stream.of(older, newer))).contains(older);
        assertThat(TopicOwnership.ownerOtherThan(older, Stream.of(older, newer))).isEmpty();
    }

    @Test
    void topicsOfOtherClustersOrOtherNamesDoNotConflict() {
        Topic mine = topic("streaming", "orders", "2026-02-01T00:00:00Z", null);
        Topic otherName = topic("streaming", "orders-eu", "2026-01-01T00:00:00Z", null);
        Topic otherCluster = topic("streaming", "orders-legacy", "2026-01-01T00:00:00Z", null);
        otherCluster.getSpec().setTopicName("orders");
        otherCluster.getMetadata().getLabels().put(Topic.CLUSTER_LABEL, "legacy");

        assertThat(TopicOwnership.ownerOtherThan(mine, Stream.of(otherName, otherCluster))).isEmpty();
    }

    @Test
    void anUnmanagedResourceOwnsNothing() {
        Topic detached = topic("streaming", "orders", "2026-01-01T00:00:00Z", null);
        detached.getMetadata().setAnnotations(Map.of(Topic.MANAGED_ANNOTATION, "false"));
        Topic managed = topic("apps", "orders", "2026-02-01T00:00:00Z", "streaming");

        assertThat(TopicOwnership.ownerOtherThan(managed, Stream.of(detached))).isEmpty();
    }

    @Test
    void aDeletedOwnersTopicGoesToTheOldestResourceWaitingForIt() {
        Topic owner = topic("streaming", "orders", "2026-01-01T00:00:00Z", null);
        owner.getMetadata().setDeletionTimestamp("2026-03-01T00:00:00Z");
        Topic older = topic("apps", "orders", "2026-02-01T00:00:00Z", "streaming");
        Topic newer = topic("streaming", "orders-copy", "2026-02-02T00:00:00Z", null);
        newer.getSpec().setTopicName("orders");
        Topic otherTopic = topic("streaming", "clicks", "2026-01-15T00:00:00Z", null);

        assertThat(TopicOwnership.successor(owner, Stream.of(owner, newer, older, otherTopic)))
                .contains(older);
    }

    @Test
    void resourcesBeingDeletedOrUnmanagedTakeNothingOver() {
        Topic owner = topic("streaming", "orders", "2026-01-01T00:00:00Z", null);
        Topic leaving = topic("streaming", "orders-old", "2026-02-01T00:00:00Z", null);
        leaving.getSpec().setTopicName("orders");
        leaving.getMetadata().setDeletionTimestamp("2026-03-01T00:00:00Z");
        Topic detached = topic("apps", "orders", "2026-02-02T00:00:00Z", "streaming");
        detached.getMetadata().setAnnotations(Map.of(Topic.MANAGED_ANNOTATION, "false"));

        assertThat(TopicOwnership.successor(owner, Stream.of(owner, leaving, detached))).isEmpty();
    }

    @Test
    void theClusterNamespaceDefaultsToTheTopicsOwn() {
        assertThat(topic("apps", "a", "2026-01-01T00:00:00Z", null).clusterNamespace()).isEqualTo("apps");
        assertThat(topic("apps", "a", "2026-01-01T00:00:00Z", "streaming").clusterNamespace()).isEqualTo("streaming");
    }

    private static Topic topic(String namespace, String name, String created, String clusterNamespace) {
        Topic topic = new Topic();
        topic.getMetadata().setNamespace(namespace);
        topic.getMetadata().setName(name);
        topic.getMetadata().setCreationTimestamp(created);
        Map<String, String> labels = new HashMap<>(Map.of(Topic.CLUSTER_LABEL, "sluice"));
        if (clusterNamespace != null) {
            labels.put(Topic.CLUSTER_NAMESPACE_LABEL, clusterNamespace);
        }
        topic.getMetadata().setLabels(labels);
        topic.setSpec(new TopicSpec());
        return topic;
    }
}
