package io.sluice.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ContainerPlanTest {

    private static Cluster cluster() {
        Cluster cluster = new Cluster();
        cluster.getMetadata().setName("alpha");
        cluster.getMetadata().setNamespace("team");
        cluster.setSpec(new ClusterSpec());
        cluster.spec().getBrokers().setJvmOptions("-Xmx512m");
        cluster.spec().getGateways().setAdvertisedHost("127.0.0.1");
        return cluster;
    }

    @Test
    void podsAreNamedAndNumberedAsTheStatefulSetsNameThemInStartOrder() {
        List<ContainerPlan.Pod> pods = ContainerPlan.of(cluster(), "10.1.2");

        assertThat(pods).extracting(ContainerPlan.Pod::name).containsExactly("alpha-coordinator-0", "alpha-broker-0",
                "alpha-broker-1", "alpha-broker-2", "alpha-gateway-0");
        assertThat(pods).extracting(ContainerPlan.Pod::address).containsExactly("10.1.2.10", "10.1.2.11",
                "10.1.2.12", "10.1.2.13", "10.1.2.14");
    }

    @Test
    void aBrokerGetsThePodsEnvironmentWithTheKubeletsSubstitutionsAndItsStatefulSetsCommand() {
        ContainerPlan.Pod broker = ContainerPlan.of(cluster(), "10.1.2").get(2);

        assertThat(broker.image()).isEqualTo("sluice/broker-service:0.1.0-SNAPSHOT");
        assertThat(broker.command()).last().asString().contains("${HOSTNAME##*-}").endsWith(ServiceContainers.RUN_JAVA);
        assertThat(broker.env()).containsEntry("POD_NAME", "alpha-broker-1")
                .containsEntry("SLUICE_BROKER_ADVERTISED_HOST", "alpha-broker-1.alpha-broker.team.svc")
                .containsEntry("SLUICE_BROKER_JGROUPS_BIND_ADDRESS", "10.1.2.12")
                .containsEntry("SLUICE_BROKER_JGROUPS_DNS_QUERY", "alpha-broker.team.svc.cluster.local")
                .containsEntry("SLUICE_COORDINATOR_BOOTSTRAP", "alpha-coordinator-0.alpha-coordinator.team.svc:9093")
                .containsEntry("JAVA_OPTS_APPEND", ServiceContainers.IMAGE_JAVA_OPTS + " -Xmx512m");
        assertThat(broker.dnsNames()).contains("alpha-broker-1.alpha-broker.team.svc",
                "alpha-broker.team.svc.cluster.local");
        assertThat(broker.dataDir()).isEqualTo(ServiceContainers.DATA_DIR);
        assertThat(broker.volumeGroup()).isEqualTo(ServiceContainers.IMAGE_USER);
        assertThat(broker.readiness()).isEqualTo(new ContainerPlan.Probe("/q/health/ready", 8080, 5, 3, 3));
        assertThat(broker.startup().failureThreshold()).isEqualTo(60);
        assertThat(broker.terminationGraceSeconds()).isEqualTo(60);
        assertThat(broker.published()).isEmpty();
    }

    @Test
    void theGatewayAdvertisesTheAddressItsServiceIsReachedAtAndPublishesTheServicesPorts() {
        ContainerPlan.Pod gateway = ContainerPlan.of(cluster(), "10.1.2").get(4);

        assertThat(gateway.env()).containsEntry("SLUICE_GATEWAY_ADVERTISED_HOST", "127.0.0.1");
        assertThat(gateway.published()).isEqualTo(Map.of(9092, 9092, 8080, 8080));
        assertThat(gateway.dataDir()).isNull();
        assertThat(gateway.dnsNames()).containsExactly("alpha-gateway.team.svc", "alpha-gateway.team.svc.cluster.local");
    }

    @Test
    void aSecuredClusterIsRefusedRatherThanRunWithoutItsSecrets() {
        Cluster cluster = cluster();
        cluster.spec().setSecurity(new SecuritySpec());

        assertThatThrownBy(() -> ContainerPlan.of(cluster, "10.1.2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.security needs Kubernetes");
    }

    @Test
    void aReferenceToAnUndefinedVariableStaysAsKubernetesLeavesIt() {
        assertThat(ContainerPlan.expand("$(A).$(B)", Map.of("A", "x"))).isEqualTo("x.$(B)");
    }
}
