package io.sluice.operator.resource;

/** A resource that belongs to one {@code Cluster}, which its labels name. */
public interface ClusterMember {

    /** The name of the resource's Cluster; null when it names none. */
    String clusterName();

    /** The namespace of the resource's Cluster. */
    String clusterNamespace();
}
