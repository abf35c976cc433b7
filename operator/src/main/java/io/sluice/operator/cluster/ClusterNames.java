package io.sluice.operator.cluster;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.sluice.protocol.contract.ServiceContract;

/** The names, labels and in-cluster addresses of the objects a {@link Cluster} owns; each role's in {@link Role}. */
public final class ClusterNames {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "sluice-operator";
    /** Selects what the operator's informers watch: only objects it made. */
    public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

    private ClusterNames() {
    }

    public static String config(Cluster cluster) {
        return cluster.getMetadata().getName() + "-config";
    }

    /**
     * Labels of every object of one component (a {@link Role}, or the shared config), in key order: they are part of
     * the pod template whose JSON the brokers' template hash is taken of, so their order must not change from one
     * operator process to the next (a {@code Map.of}'s does).
     */
    public static Map<String, String> labels(Cluster cluster, String component) {
        return new TreeMap<>(Map.of("app.kubernetes.io/name", "sluice",
                "app.kubernetes.io/instance", cluster.getMetadata().getName(),
                "app.kubernetes.io/component", component,
                MANAGED_BY_LABEL, MANAGED_BY));
    }

    /** The pods' selector: without the managed-by label, so that it never changes under a running StatefulSet. */
    public static Map<String, String> selector(Cluster cluster, String component) {
        return new TreeMap<>(Map.of("app.kubernetes.io/instance", cluster.getMetadata().getName(),
                "app.kubernetes.io/component", component));
    }

    /** host:port of every coordinator replica, the bootstrap list brokers and gateways are given. */
    public static String coordinatorBootstrap(Cluster cluster) {
        Role coordinator = Role.COORDINATOR;
        return IntStream.range(0, coordinator.spec(cluster).getReplicas())
                .mapToObj(i -> coordinator.objectName(cluster) + "-" + i + "." + coordinator.serviceHost(cluster) + ":"
                        + coordinator.listener().port())
                .collect(Collectors.joining(","));
    }

    /** Every coordinator replica's HTTP address, where gateways keep HTTP consumer instances. */
    public static String coordinatorHttpBootstrap(Cluster cluster) {
        Role coordinator = Role.COORDINATOR;
        return IntStream.range(0, coordinator.spec(cluster).getReplicas())
                .mapToObj(i -> coordinator.objectName(cluster) + "-" + i + "." + coordinator.serviceHost(cluster) + ":"
                        + ServiceContract.HTTP_PORT_DEFAULT)
                .collect(Collectors.joining(","));
    }

    /** The gateway Service's host and Kafka port: what clients inside Kubernetes bootstrap from. */
    public static String kafkaBootstrap(Cluster cluster) {
        return Role.GATEWAY.serviceHost(cluster) + ":" + cluster.spec().getGateways().getKafkaPort();
    }

    public static String image(Cluster cluster, Role role) {
        return cluster.spec().getImage() + "/" + role.service() + ":" + cluster.spec().getVersion();
    }
}
