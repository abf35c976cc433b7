package io.sluice.operator.cluster;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.sluice.protocol.contract.CoordinatorContract;

/** The names, labels and in-cluster addresses of the objects a {@link Cluster} owns. */
public final class ClusterNames {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "sluice-operator";
    /** Selects what the operator's informers watch: only objects it made. */
    public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

    private ClusterNames() {
    }

    public static String broker(Cluster cluster) {
        return cluster.getMetadata().getName() + "-broker";
    }

    public static String coordinator(Cluster cluster) {
        return cluster.getMetadata().getName() + "-coordinator";
    }

    public static String gateway(Cluster cluster) {
        return cluster.getMetadata().getName() + "-gateway";
    }

    public static String config(Cluster cluster) {
        return cluster.getMetadata().getName() + "-config";
    }

    /** Labels of every object of one role: the pods' selector too. */
    public static Map<String, String> labels(Cluster cluster, String component) {
        return Map.of("app.kubernetes.io/name", "sluice",
                "app.kubernetes.io/instance", cluster.getMetadata().getName(),
                "app.kubernetes.io/component", component,
                MANAGED_BY_LABEL, MANAGED_BY);
    }

    /** The pods' selector: without the managed-by label, so that it never changes under a running StatefulSet. */
    public static Map<String, String> selector(Cluster cluster, String component) {
        return Map.of("app.kubernetes.io/instance", cluster.getMetadata().getName(),
                "app.kubernetes.io/component", component);
    }

    /** The DNS name of a headless Service: its A records are the pods' addresses, ready or not. */
    public static String headlessDomain(Cluster cluster, String service) {
        return service + "." + cluster.getMetadata().getNamespace() + ".svc";
    }

    /** host:port of every coordinator replica, the bootstrap list brokers and gateways are given. */
    public static String coordinatorBootstrap(Cluster cluster) {
        String service = coordinator(cluster);
        return IntStream.range(0, cluster.getSpec().getCoordinators().getReplicas())
                .mapToObj(i -> service + "-" + i + "." + headlessDomain(cluster, service) + ":"
                        + CoordinatorContract.KAFKA_PORT)
                .collect(Collectors.joining(","));
    }

    /** The gateway Service's DNS name, what clients inside Kubernetes bootstrap from. */
    public static String gatewayHost(Cluster cluster) {
        return gateway(cluster) + "." + cluster.getMetadata().getNamespace() + ".svc";
    }

    public static String image(Cluster cluster, String service) {
        return cluster.getSpec().getImage() + "/" + service + ":" + cluster.getSpec().getVersion();
    }
}
