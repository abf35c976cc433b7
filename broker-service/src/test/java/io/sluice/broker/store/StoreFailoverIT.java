package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A store node dies: node-2 runs in its own JVM, so that it can be killed for real (SIGKILL). */
class StoreFailoverIT {

    private StoreCluster cluster;
    private StoreNodeProcess external;

    @BeforeEach
    void startCluster() {
        cluster = StoreCluster.create(3);
        // First, so that the node killed is the oldest one: the coordinator of the JGroups view and of the caches.
        external = StoreNodeProcess.start(cluster, 2);
        cluster.startAll(0, 1);
        awaitStable(3);
    }

    @AfterEach
    void stopCluster() {
        external.close();
        cluster.close();
    }

    private void awaitStable(int members) {
        cluster.awaitStable(members);
        if (members == 3) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> external.members().size() == 3 && !external.rebalancing());
        }
    }

    @Test
    void killedNodeLosesNoAcknowledgedWriteAndTheOthersServeItsPartitions() {
        StoreData data = new StoreData();
        data.write(cluster.node(0), 2, "before", 12, 0, 5, "v1");
        data.write(cluster.node(0), 3, "before", 12, 0, 5, "v1");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < 4; lane++) {
            lanes.add(keepWriting(data, lane, 0, writing, acknowledged));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() >= 20);

        external.kill();

        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).members().size() == 2
                && cluster.node(1).members().size() == 2);
        int atViewChange = acknowledged.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() >= atViewChange + 20);
        writing.set(false);
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();

        data.verify(cluster, 0);
        data.verify(cluster, 1);
        awaitStable(2);
        for (int p = 0; p < 12; p++) {
            assertThat(cluster.node(0).owners(2, "before", p)).containsExactlyInAnyOrder("node-0", "node-1");
            assertThat(cluster.node(1).owners(3, "before", p)).containsExactlyInAnyOrder("node-0", "node-1");
        }
        data.verify(cluster, 1);
    }

    /** Writes rf=3 chunks to one partition one after the other, as its leader would, until told to stop. */
    private CompletableFuture<Void> keepWriting(StoreData data, int partition, long offset, AtomicBoolean writing,
            AtomicInteger acknowledged) {
        if (!writing.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return data.write(cluster.node(1), 3, new ChunkKey("during", partition, offset), "v1")
                .thenCompose(written -> {
                    acknowledged.incrementAndGet();
                    return keepWriting(data, partition, offset + 1, writing, acknowledged);
                });
    }

    @Test
    void killedNodeComesBackWithItsSingleReplicaDataButWithoutChunksDeletedWhileItWasDown() {
        StoreData data = new StoreData();
        for (int rf = 2; rf <= 3; rf++) {
            data.write(cluster.node(0), rf, "t", 8, 0, 5, "v1");
        }
        data.write(external, 1, "t", 8, 0, 5, "v1");
        external.kill();
        awaitStable(2);
        data.write(cluster.node(0), 1, "u", 8, 0, 2, "v2");

        for (int rf = 2; rf <= 3; rf++) {
            for (int p = 0; p < 4; p++) {
                data.delete(cluster.node(p % 2), rf, new ChunkKey("t", p, 0));
            }
            data.deletePartition(cluster.node(0), rf, "t", 4);
            data.deletePartition(cluster.node(1), rf, "t", 5);
            data.write(cluster.node(1), rf, "t", 8, 1, 1, "v2");
            data.write(cluster.node(0), rf, "t", 8, 5, 2, "v2");
        }
        external = StoreNodeProcess.start(cluster, 2);
        awaitStable(3);

        // With rf=3 node-2 owns every partition again and answers from its own stores.
        assertThat(cluster.node(0).owners(3, "t", 0)).contains("node-2");
        data.verify(external, "node-2");
        data.verify(cluster, 0);
    }
}
