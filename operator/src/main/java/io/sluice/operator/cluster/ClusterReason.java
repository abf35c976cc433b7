package io.sluice.operator.cluster;

/** Every reason the operator gives in a {@link Cluster}'s conditions; the README says what each asks of the user. */
public enum ClusterReason {
    /** The spec breaks a rule the schema cannot state; nothing is changed until it is fixed. */
    InvalidSpec,
    /** The spec is valid (Degraded=False). */
    SpecValid,
    /** Every pod of every role is ready and no broker waits for a rolling step. */
    AllPodsReady,
    /** Some pods are not ready yet. */
    PodsNotReady,
    /** Pods are starting (Progressing=True). */
    PodsStarting,
    /** A broker change rolls one pod at a time, each after the store has rebalanced. */
    BrokersRolling,
    /** Nothing left to do (Progressing=False). */
    UpToDate,
    /** The reconcile threw; the message says what failed, and it is retried. */
    ReconcileFailed
}
