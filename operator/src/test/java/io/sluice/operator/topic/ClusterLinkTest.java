package io.sluice.operator.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.resource.Conditions;

class ClusterLinkTest {

    @Test
    void aTopicsClusterIsTheOneItsLabelsName() {
        assertThat(ClusterLink.clusterOf(topic(Map.of(Topic.CLUSTER_LABEL, "sluice"))))
                .containsExactly(new ResourceID("sluice", "apps"));
        assertThat(ClusterLink.clusterOf(topic(Map.of(Topic.CLUSTER_LABEL, "sluice",
                Topic.CLUSTER_NAMESPACE_LABEL, "streaming")))).containsExactly(new ResourceID("sluice", "streaming"));
        assertThat(ClusterLink.clusterOf(topic(Map.of()))).isEmpty();
    }

    @Test
    void onlyAClusterBecomingReadyReconcilesItsTopics() {
        assertThat(ClusterLink.becameReady(cluster("True"), cluster("False"))).isTrue();
        assertThat(ClusterLink.becameReady(cluster("True"), new Cluster())).isTrue();
        assertThat(ClusterLink.becameReady(cluster("True"), cluster("True"))).isFalse();
        assertThat(ClusterLink.becameReady(cluster("False"), cluster("True"))).isFalse();
        assertThat(ClusterLink.becameReady(cluster("False"), cluster("False"))).isFalse();
    }

    private static Topic topic(Map<String, String> labels) {
        Topic topic = new Topic();
        topic.getMetadata().setName("orders");
        topic.getMetadata().setNamespace("apps");
        topic.getMetadata().setLabels(new HashMap<>(labels));
        return topic;
    }

    private static Cluster cluster(String ready) {
        Cluster cluster = new Cluster();
        cluster.reportedStatus().getConditions()
                .add(new ConditionBuilder().withType(Conditions.READY).withStatus(ready).build());
        return cluster;
    }
}
