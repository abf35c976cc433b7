package io.sluice.operator.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterSpec;
import io.sluice.operator.mock.MockApiServer;
import io.sluice.operator.resource.Conditions;

/**
 * The Topic controller against the mock API server, with every resync an hour away: what it does sooner, an event
 * made it do. Nothing answers at the bootstrap it is given, so a Topic whose Cluster exists is ClusterUnreachable.
 */
@QuarkusTest
@TestProfile(TopicClusterEventsTest.NoResync.class)
@QuarkusTestResource(value = MockApiServer.class, restrictToAnnotatedClass = true)
class TopicClusterEventsTest {

    private static final String NAMESPACE = "late-comers";

    @Inject
    KubernetesClient client;

    /** Resyncs out of the test's reach, and a bootstrap where nothing listens. */
    public static class NoResync implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.operator.topic-resync", "1h", "sluice.operator.cluster-resync", "1h",
                    "sluice.operator.bootstrap-override", "127.0.0.1:1", "sluice.operator.admin-timeout", "2s");
        }
    }

    @Test
    void aTopicWaitingForItsClusterIsReconciledAsSoonAsTheClusterIsCreated() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        Topic topic = new Topic();
        topic.getMetadata().setName("orders");
        topic.getMetadata().setNamespace(NAMESPACE);
        topic.getMetadata().setLabels(new HashMap<>(Map.of(Topic.CLUSTER_LABEL, "late")));
        topic.setSpec(new TopicSpec());
        client.resource(topic).create();
        awaitReason(topic, TopicReason.ClusterNotFound);

        Cluster cluster = new Cluster();
        cluster.getMetadata().setName("late");
        cluster.getMetadata().setNamespace(NAMESPACE);
        cluster.setSpec(new ClusterSpec());
        client.resource(cluster).create();

        awaitReason(topic, TopicReason.ClusterUnreachable);
    }

    private void awaitReason(Topic topic, TopicReason reason) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Topic current = client.resource(topic).get();
            assertThat(current.getStatus()).isNotNull();
            assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(reason.name()));
        });
    }
}
