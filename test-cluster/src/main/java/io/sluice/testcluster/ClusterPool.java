package io.sluice.testcluster;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters of one test run, so that as few start as the classes allow: a class that disrupts its cluster has it
 * to itself while it runs and gives it back afterwards, whole again, for the next class of its size; the classes that
 * leave every member running share one cluster of their size until the run ends. At most one cluster waits idle:
 * asking for another size closes it. Kept in JUnit's root store, closed when the run ends.
 */
final class ClusterPool implements AutoCloseable {

    /** How long a given-back cluster may take to be whole again before it is thrown away. */
    private static final Duration HEAL_TIMEOUT = Duration.ofMinutes(2);

    /**
     * The most gateways a sharing class asks for, by cluster size (the spec with one gateway), as the run's class
     * order found them: every cluster of that size starts with that many, so that one cluster serves every class of
     * its size. Written once before any class runs ({@link ClusterReuseOrder}).
     */
    private static final Map<ClusterSpec, Integer> PLANNED_GATEWAYS = new ConcurrentHashMap<>();

    private final Map<ClusterSpec, TestCluster> shared = new HashMap<>();
    private final Map<ClusterSpec, RuntimeException> failedStarts = new HashMap<>();
    private TestCluster idle;

    /**
     * A cluster for a class that may disrupt it, to itself until {@link #giveBack}; with {@code fresh}, one whose
     * members were never stopped or killed.
     */
    synchronized TestCluster lend(ClusterSpec asked, boolean fresh) {
        ClusterSpec spec = planned(asked);
        if (fresh && idle != null && idle.disrupted()) {
            closeIdle();
        }
        return takeIdleOrStart(spec);
    }

    /** Takes a lent cluster back: whole again, it waits for the next class of its size; otherwise it is closed. */
    synchronized void giveBack(TestCluster cluster) {
        if (cluster.heal(HEAL_TIMEOUT)) {
            closeIdle();
            idle = cluster;
        } else {
            cluster.close();
        }
    }

    /** The cluster of this size that every class leaving its members running shares; it refuses disruption. */
    synchronized TestCluster shared(ClusterSpec asked) {
        ClusterSpec spec = planned(asked);
        if (!shared.containsKey(spec) && !failedStarts.containsKey(spec)) {
            try {
                TestCluster cluster = takeIdleOrStart(spec);
                cluster.share();
                shared.put(spec, cluster);
            } catch (RuntimeException e) {
                // Kept, so that the classes after a failed start do not each try again.
                failedStarts.put(spec, e);
            }
        }
        RuntimeException failed = failedStarts.get(spec);
        if (failed != null) {
            throw new IllegalStateException("the shared cluster (" + spec + ") did not start in this run", failed);
        }
        return shared.get(spec);
    }

    /** Records the specs of the run's sharing classes: see {@link #PLANNED_GATEWAYS}. */
    static void planSharing(Collection<ClusterSpec> sharing) {
        sharing.forEach(spec -> PLANNED_GATEWAYS.merge(spec.withGateways(1), spec.gateways(), Math::max));
    }

    /** The spec a cluster for {@code asked} is started with: the gateways the run's plan has for its size. */
    static ClusterSpec planned(ClusterSpec asked) {
        return asked.withGateways(Math.max(asked.gateways(),
                PLANNED_GATEWAYS.getOrDefault(asked.withGateways(1), 1)));
    }

    private TestCluster takeIdleOrStart(ClusterSpec spec) {
        if (idle != null && idle.spec().equals(spec)) {
            TestCluster taken = idle;
            idle = null;
            return taken;
        }
        closeIdle();
        return TestCluster.start(spec);
    }

    private void closeIdle() {
        if (idle != null) {
            idle.close();
            idle = null;
        }
    }

    @Override
    public synchronized void close() {
        closeIdle();
        shared.values().forEach(TestCluster::close);
        shared.clear();
    }
}
