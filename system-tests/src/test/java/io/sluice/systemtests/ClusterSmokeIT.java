package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.cli.cluster.Member;

import com.fasterxml.jackson.databind.JsonNode;

/** The fixture itself: a cluster comes up whole, and a member can be killed and started again. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSmokeIT {

    @RegisterExtension
    static final SluiceClusterExtension cluster = SluiceClusterExtension.withBrokers(3);

    @Test
    @Order(1)
    void everyMemberIsReadyAndTheCoordinatorSeesEveryBroker() throws Exception {
        for (Member member : cluster.layout().members()) {
            assertThat(cluster.ready(member.name())).as(member.name() + " ready").isTrue();
        }
        JsonNode view = cluster.clusterView().orElseThrow();
        assertThat(view.path("clusterId").asText()).isNotBlank();
        assertThat(view.path("brokers")).hasSize(3)
                .allSatisfy(b -> assertThat(b.path("alive").asBoolean()).as(b.toString()).isTrue());
        assertThat(cluster.aliveBrokers()).containsExactly(1, 2, 3);

        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            assertThat(nodes).as("clients see the gateway only").singleElement()
                    .satisfies(n -> assertThat(n.port()).isEqualTo(cluster.member("gateway").kafkaPort()));
        }
    }

    @Test
    @Order(2)
    void aKilledBrokerIsSeenDeadAndRejoinsWhenStartedAgain() {
        cluster.kill("broker-3");

        assertThat(cluster.ready("broker-3")).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.aliveBrokers().contains(3));

        cluster.start("broker-3");

        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.aliveBrokers().size() == 3);
        assertThat(cluster.ready("broker-3")).isTrue();
    }
}
