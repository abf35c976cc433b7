package io.sluice.operator;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Operator settings ({@code sluice.operator.*}), each overridable by environment variable. */
@ConfigMapping(prefix = "sluice.operator")
public interface OperatorConfig {

    /**
     * The Kafka bootstrap used for every cluster instead of its gateway Service's DNS name: for an operator run out
     * of cluster against a local Sluice cluster.
     */
    Optional<String> bootstrapOverride();

    /**
     * The bootstrap used instead of {@link #bootstrapOverride()} for clusters with {@code spec.security}: a local
     * cluster's SASL_SSL or SSL listener.
     */
    Optional<String> secureBootstrapOverride();

    /** Whether the operator applies its CRDs ({@code deploy/crds}) at start: out of cluster, with an admin's kubeconfig. */
    @WithDefault("false")
    boolean applyCrds();

    /** How often a topic is compared with its cluster even when its resource did not change: drift is undone. */
    @WithDefault("60s")
    Duration topicResync();

    /** How long one call to a cluster may take before the cluster counts as unreachable. */
    @WithDefault("15s")
    Duration adminTimeout();

    /**
     * How long a deleted {@code Topic} waits for an unreachable cluster before its finalizer is released anyway, so a
     * namespace is never stranded.
     */
    @WithDefault("5m")
    Duration finalizerTimeout();

    /** How often a cluster that is not ready yet is looked at again (a rollout waits on its store). */
    @WithDefault("10s")
    Duration clusterResync();
}
