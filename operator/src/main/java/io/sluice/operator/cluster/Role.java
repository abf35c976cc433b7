package io.sluice.operator.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.contract.JGroupsSettings;
import io.sluice.protocol.contract.Setting;

/**
 * A role of a cluster's pods, and everything its Kubernetes objects take from it: the name suffix and component
 * label, the image, the ports and settings of its contract, and its section of the {@link ClusterSpec}.
 */
public enum Role {

    BROKER("broker", BrokerContract.SERVICE, ClusterSpec::getBrokers,
            new Listener(BrokerContract.KAFKA_PORT, BrokerContract.PORT, BrokerContract.ADVERTISED_HOST),
            new Peers(BrokerContract.JGROUPS, BrokerContract.JGROUPS_PORT)),
    COORDINATOR("coordinator", CoordinatorContract.SERVICE, ClusterSpec::getCoordinators,
            new Listener(CoordinatorContract.KAFKA_PORT, CoordinatorContract.PORT,
                    CoordinatorContract.ADVERTISED_HOST),
            new Peers(CoordinatorContract.JGROUPS, CoordinatorContract.JGROUPS_PORT)),
    /** Stateless pods behind the Service clients bootstrap from: no peers. */
    GATEWAY("gateway", GatewayContract.SERVICE, ClusterSpec::getGateways,
            new Listener(GatewayContract.KAFKA_PORT, GatewayContract.PORT, GatewayContract.ADVERTISED_HOST), null);

    /** The Kafka listener in a role's pods: its port, and the settings that give it its port and advertised host. */
    public record Listener(int port, Setting portSetting, Setting advertisedHostSetting) {
    }

    /** How the pods of a replicated role find each other: their JGroups settings and port. */
    public record Peers(JGroupsSettings settings, int port) {
    }

    private final String component;
    private final String service;
    private final Function<ClusterSpec, RoleSpec> section;
    private final Listener listener;
    private final Peers peers;

    Role(String component, String service, Function<ClusterSpec, RoleSpec> section, Listener listener, Peers peers) {
        this.component = component;
        this.service = service;
        this.section = section;
        this.listener = listener;
        this.peers = peers;
    }

    /** The roles whose pods form an embedded Infinispan cluster: a StatefulSet each, behind a headless Service. */
    public static List<Role> replicated() {
        return Arrays.stream(values()).filter(role -> role.peers != null).toList();
    }

    /** The value of the {@code app.kubernetes.io/component} label, and the suffix of the objects' names. */
    public String component() {
        return component;
    }

    /** The service's module and container image name. */
    public String service() {
        return service;
    }

    public Listener listener() {
        return listener;
    }

    /** The peers of a {@linkplain #replicated() replicated} role. */
    public Peers peers() {
        return peers;
    }

    /** The role's section of the cluster's spec. */
    public RoleSpec spec(Cluster cluster) {
        return section.apply(cluster.spec());
    }

    /** The name of the role's StatefulSet or Deployment, Service and disruption budget. */
    public String objectName(Cluster cluster) {
        return cluster.getMetadata().getName() + "-" + component;
    }

    /** The metadata of the role's objects: their name, namespace and labels. */
    public ObjectMeta objectMeta(Cluster cluster) {
        return new ObjectMetaBuilder()
                .withName(objectName(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(labels(cluster))
                .build();
    }

    /** The DNS name of the role's Service: for a headless one, its A records are the pods' addresses. */
    public String serviceHost(Cluster cluster) {
        return objectName(cluster) + "." + cluster.getMetadata().getNamespace() + ".svc";
    }

    /** Labels of every object of the role, and of its pods. */
    public Map<String, String> labels(Cluster cluster) {
        return ClusterNames.labels(cluster, component);
    }

    /** What selects the role's pods. */
    public Map<String, String> selector(Cluster cluster) {
        return ClusterNames.selector(cluster, component);
    }
}
