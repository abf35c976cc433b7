package io.sluice.broker.store;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.awaitility.core.ConditionTimeoutException;

/**
 * Three store nodes: node-0 in the test's JVM, node-1 and node-2 each in a JVM of its own, so that a test can kill them
 * for real (SIGKILL) and start them again.
 */
final class StoreNodesInProcesses implements AutoCloseable {

    private final StoreCluster cluster = StoreCluster.create(3);
    private final StoreNodeProcess[] processes = new StoreNodeProcess[3];

    /** Starts the three nodes and waits until they are stable. */
    static StoreNodesInProcesses start() {
        StoreNodesInProcesses nodes = new StoreNodesInProcesses();
        nodes.restart(1);
        nodes.restart(2);
        nodes.cluster.startAll(0);
        nodes.awaitStable();
        return nodes;
    }

    /** Node-0, in the test's JVM. */
    PartitionStore node0() {
        return cluster.node(0);
    }

    /** Node 1 or 2, in its JVM. */
    StoreNodeProcess process(int i) {
        return processes[i];
    }

    /** Starts node 1 or 2 in a new JVM, on its data dir, and waits until it has joined (a killed one comes back). */
    void restart(int i) {
        processes[i] = StoreNodeProcess.start(cluster, i);
    }

    /**
     * Waits until all three see each other, every cache available and settled; if they do not (or a process ended),
     * fails with what the processes' logs say of it.
     */
    void awaitStable() {
        try {
            cluster.awaitStable(3);
            await().atMost(Duration.ofSeconds(90)).until(() -> processes[1].members().size() == 3
                    && processes[2].members().size() == 3 && !processes[1].rebalancing()
                    && !processes[2].rebalancing() && node0().available());
        } catch (ConditionTimeoutException | IllegalStateException e) {
            throw new AssertionError("the three store nodes did not settle; " + processes[1].troubles() + "; "
                    + processes[2].troubles(), e);
        }
    }

    /** The in-process nodes, for checks across the cluster. */
    StoreCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        for (int i = 1; i < processes.length; i++) {
            if (processes[i] != null) {
                processes[i].close();
            }
        }
        cluster.close();
    }
}
