package io.sluice.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterNamesTest {

    @Test
    void labelsComeInKeyOrderSoThatTheBrokersTemplateHashIsTheSameInEveryOperatorProcess() {
        Cluster cluster = new Cluster();
        cluster.getMetadata().setName("alpha");

        assertThat(ClusterNames.labels(cluster, "broker").keySet()).containsExactly("app.kubernetes.io/component",
                "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/name");
        assertThat(ClusterNames.selector(cluster, "broker").keySet()).containsExactly("app.kubernetes.io/component",
                "app.kubernetes.io/instance");
    }
}
