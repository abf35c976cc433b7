package io.sluice.operator.topic;

import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.resource.ClusterMember;
import io.sluice.operator.resource.Conditions;

/**
 * How the Topic and User controllers follow the Clusters their resources name, each through an informer of its own:
 * a Cluster that appears, becomes ready or goes reconciles the resources naming it at once, not at their next resync;
 * and a resource's Cluster is read from that informer's cache, never fetched.
 */
public final class ClusterLink {

    /** The index of the Topics by the Cluster each names. */
    private static final String BY_CLUSTER = "by-cluster";

    private ClusterLink() {
    }

    /** The informer on Clusters; indexes the resources of {@code context} by their Cluster. */
    public static <P extends HasMetadata & ClusterMember> InformerEventSource<Cluster, P> eventSource(
            EventSourceContext<P> context) {
        IndexerResourceCache<P> members = context.getPrimaryCache();
        members.addIndexer(BY_CLUSTER, member -> clusterOf(member).stream().map(ClusterLink::key).toList());
        return new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Cluster.class, context.getPrimaryResourceClass())
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(cluster -> members
                        .byIndex(BY_CLUSTER, key(ResourceID.fromResource(cluster))).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<P>) ClusterLink::clusterOf)
                .withOnUpdateFilter(ClusterLink::becameReady)
                .build(), context);
    }

    /** The Cluster {@code member} names; none when its label is missing. */
    static Set<ResourceID> clusterOf(ClusterMember member) {
        String name = member.clusterName();
        return name == null || name.isBlank() ? Set.of() : Set.of(new ResourceID(name, member.clusterNamespace()));
    }

    /** Of a Cluster's updates only one concerns its Topics: its pods and status change all the time otherwise. */
    static boolean becameReady(Cluster newer, Cluster older) {
        return ready(newer) && !ready(older);
    }

    private static boolean ready(Cluster cluster) {
        return cluster.getStatus() != null && cluster.getStatus().holds(Conditions.READY);
    }

    private static String key(ResourceID cluster) {
        return cluster.getNamespace().orElse("") + "/" + cluster.getName();
    }
}
