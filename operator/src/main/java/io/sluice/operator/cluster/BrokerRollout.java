package io.sluice.operator.cluster;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;

/**
 * One step of a broker change at a time: the StatefulSet's rolling-update partition goes down by one ordinal, and its
 * replicas down by one broker, only once every broker is ready on its revision and the store has finished moving data
 * (no partition without its owners). Scaling up needs no wait: new brokers only take data.
 */
record BrokerRollout(int replicas, int partition) {

    static final String TEMPLATE_HASH = "sluice.io/template-hash";

    /**
     * The next step from {@code actual} towards {@code desiredReplicas} brokers running the template whose hash is
     * {@code templateHash}; {@code storeBalanced} is asked only when a step waits on it.
     */
    static BrokerRollout next(int desiredReplicas, String templateHash, Optional<StatefulSet> actual,
            BooleanSupplier storeBalanced) {
        if (actual.isEmpty()) {
            return new BrokerRollout(desiredReplicas, 0);
        }
        StatefulSet current = actual.get();
        int replicas = current.getSpec().getReplicas() == null ? desiredReplicas : current.getSpec().getReplicas();
        int partition = partitionOf(current);
        boolean newTemplate = !templateHash.equals(current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(TEMPLATE_HASH));
        if (newTemplate) {
            // Hold every pod on its revision; the next steps release them one ordinal at a time, from the top.
            return new BrokerRollout(Math.max(replicas, desiredReplicas), Math.max(replicas, desiredReplicas));
        }
        boolean shrink = replicas > desiredReplicas;
        boolean rolling = partition > 0;
        if (!shrink && !rolling) {
            return new BrokerRollout(desiredReplicas, 0);
        }
        if (!settled(current, replicas, partition) || !storeBalanced.getAsBoolean()) {
            return new BrokerRollout(Math.max(replicas, desiredReplicas), partition);
        }
        if (rolling) {
            return new BrokerRollout(Math.max(replicas, desiredReplicas), Math.min(partition, replicas) - 1);
        }
        return new BrokerRollout(replicas - 1, 0);
    }

    /** Every broker is ready, and every ordinal at or above the partition runs the new revision. */
    private static boolean settled(StatefulSet current, int replicas, int partition) {
        StatefulSetStatus status = current.getStatus();
        if (status == null || status.getObservedGeneration() == null
                || !status.getObservedGeneration().equals(current.getMetadata().getGeneration())) {
            return false;
        }
        int ready = status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        int updated = status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
        return ready == replicas && updated >= Math.max(0, replicas - partition);
    }

    private static int partitionOf(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null) {
            return 0;
        }
        return strategy.getRollingUpdate().getPartition();
    }
}
