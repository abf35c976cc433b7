package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import io.sluice.cli.local.Member;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fixture itself: the shared cluster is up whole, and refuses what would break it for the classes that share it
 * (a member killed and started again: {@link BrokerFailureIT}).
 */
@SluiceCluster
class ClusterSmokeIT {

    static TestCluster cluster;

    @Test
    void everyMemberIsReadyAndTheCoordinatorSeesEveryBroker(Admin admin) throws Exception {
        for (Member member : cluster.layout().members()) {
            assertThat(cluster.ready(member.name())).as(member.name() + " ready").isTrue();
        }
        JsonNode view = cluster.clusterView().orElseThrow();
        assertThat(view.path("clusterId").asText()).isNotBlank();
        assertThat(view.path("brokers")).hasSize(3)
                .allSatisfy(b -> assertThat(b.path("alive").asBoolean()).as(b.toString()).isTrue());
        assertThat(cluster.aliveBrokers()).containsExactly(1, 2, 3);
        HttpResponse<String> readiness = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(cluster.httpUrl() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(new ObjectMapper().readTree(readiness.body()).at("/checks/0/data/brokers").asInt())
                .as("brokers in the gateway's readiness: %s", readiness.body()).isEqualTo(3);

        Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        assertThat(nodes).as("clients see the gateway only").singleElement()
                .satisfies(n -> assertThat(n.port()).isEqualTo(cluster.member("gateway").kafkaPort()));
    }

    @Test
    void theSharedClusterRefusesToKillStopOrStartMembers() {
        for (ThrowingCallable disruption : List.<ThrowingCallable> of(() -> cluster.kill("broker-3"),
                () -> cluster.stop("coordinator"), () -> cluster.start("gateway"), cluster::restart)) {
            assertThatThrownBy(disruption).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("@SluiceCluster(disruptive = true)");
        }

        for (Member member : cluster.layout().members()) {
            assertThat(cluster.ready(member.name())).as(member.name() + " still ready").isTrue();
        }
    }
}
