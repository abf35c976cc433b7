package io.sluice.operator.topic;

/** Every reason the operator gives in a {@link Topic}'s Ready condition; the README says what each asks of the user. */
public enum TopicReason {
    /** The topic is as the resource says. */
    Synced,
    /** The topic was created and is not described by the cluster yet. */
    Creating,
    /** The resource is detached from its topic by its annotation. */
    Unmanaged,
    /** The resource has no label naming its Cluster. */
    ClusterLabelMissing,
    /** An older resource manages the same topic of the same cluster. */
    ResourceConflict,
    /** The Cluster the label names does not exist. */
    ClusterNotFound,
    /** The cluster did not answer in time. */
    ClusterUnreachable,
    /** The cluster answered with an error not listed here. */
    ClusterRefused,
    /** The spec asks for fewer partitions than the topic has. */
    PartitionDecreaseNotSupported,
    /** The spec asks for another replication factor than the topic has. */
    ReplicationFactorChangeNotSupported,
    /** The cluster cannot create the topic with the replication factor asked (or its default). */
    InvalidReplicationFactor,
    /** The cluster refused a config key or value. */
    InvalidConfig,
    /** The resource was deleted, and its topic waits to be deleted while the cluster is unreachable. */
    DeletePending,
    /** The reconcile threw; the message says what failed, and it is retried. */
    ReconcileFailed
}
