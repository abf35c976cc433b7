package io.sluice.operator.user;

/** Every reason the operator gives in a {@link User}'s Ready condition; the README says what each asks of the user. */
public enum UserReason {
    /** Credentials, ACLs and quotas are as the resource says. */
    Synced,
    /**
     * The spec breaks a rule (unknown type, operation, resource type, a quota not above 0…); nothing is applied until
     * it is fixed.
     */
    InvalidSpec,
    /** The resource has no label naming its Cluster. */
    ClusterLabelMissing,
    /** The Cluster the label names does not exist. */
    ClusterNotFound,
    /** The Cluster has no {@code spec.security}: it has no users. */
    SecurityNotEnabled,
    /** The user's authentication type is not the one the cluster's listener takes. */
    AuthenticationMismatch,
    /** The cluster's Secrets are not there yet (the Cluster is being created). */
    ClusterNotReady,
    /** The cluster did not answer in time. */
    ClusterUnreachable,
    /** The cluster answered with an error (the message says which). */
    ClusterRefused,
    /** The reconcile threw; the message says what failed, and it is retried. */
    ReconcileFailed
}
