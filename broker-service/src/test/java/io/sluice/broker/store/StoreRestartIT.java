package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

/** Store nodes that stop gracefully and start again with the same data dirs. */
class StoreRestartIT {

    @Test
    void fullRestartKeepsEveryChunk() {
        try (StoreCluster cluster = StoreCluster.stable(3)) {
            StoreData data = new StoreData();
            data.write(cluster.node(0), 3, "t", 30, 0, 4, "v1");
            data.delete(cluster.node(1), 3, new ChunkKey("t", 0, 0));
            data.deletePartition(cluster.node(2), 3, "t", 1);
            // rf = 1 data is on the node that wrote it alone.
            data.write(cluster.node(0), 1, "t", 30, 0, 4, "v1");
            data.delete(cluster.node(0), 1, new ChunkKey("t", 0, 0));
            data.deletePartition(cluster.node(0), 1, "t", 1);

            cluster.node(1).shutdownCluster();
            cluster.stopAll();
            cluster.startAll(0, 1);

            // The restored caches wait for every node they had.
            assertThat(cluster.node(0).available()).isFalse();
            assertThatThrownBy(() -> cluster.node(1).readChunk(3, new StoredChunk(new ChunkKey("t", 2, 0), 0)).join())
                    .isInstanceOf(CompletionException.class);
            cluster.startNode(2);
            cluster.awaitStable(3);
            data.verifyEveryNode(cluster);
        }
    }

    @Test
    void nodeRestartedWhileTheOthersWentOnComesBackWithItsSingleReplicaDataAndWithoutStaleChunks() {
        try (StoreCluster cluster = StoreCluster.stable(3)) {
            StoreData data = new StoreData();
            data.write(cluster.node(0), 2, "t", 10, 0, 4, "v1");
            data.write(cluster.node(0), 3, "t", 10, 0, 4, "v1");
            data.write(cluster.node(2), 1, "t", 10, 0, 4, "v1");

            cluster.stop(2);
            cluster.awaitStable(2);
            for (int rf = 2; rf <= 3; rf++) {
                data.delete(cluster.node(0), rf, new ChunkKey("t", 0, 0));
                data.deletePartition(cluster.node(1), rf, "t", 1);
                data.write(cluster.node(1), rf, "t", 10, 2, 3, "v2");
            }
            cluster.startNode(2);
            cluster.awaitStable(3);

            data.verifyEveryNode(cluster);
        }
    }

    @Test
    void rollingRestartKeepsTheStoreAvailableThroughout() {
        try (StoreCluster cluster = StoreCluster.stable(3)) {
            StoreData data = new StoreData();
            data.write(cluster.node(0), 2, "t", 10, 0, 2, "v1");
            data.write(cluster.node(0), 3, "t", 10, 0, 2, "v1");

            for (int i = 0; i < 3; i++) {
                cluster.stop(i);
                // A graceful leave is no partition: the others never go degraded, whoever left.
                assertThat(cluster.running()).allMatch(PartitionStore::available);
                cluster.awaitStable(2);
                PartitionStore other = cluster.node((i + 1) % 3);
                data.write(other, 2, "t", 10, 2 + i, 1, "v2");
                data.write(other, 3, "t", 10, 2 + i, 1, "v2");
                cluster.startNode(i);
                assertThat(cluster.running()).allMatch(PartitionStore::available);
                cluster.awaitStable(3);
            }

            data.verifyEveryNode(cluster);
        }
    }

    @Test
    void clusterStoppedNodeByNodeKeepsItsFullyReplicatedChunks() {
        try (StoreCluster cluster = StoreCluster.stable(3)) {
            StoreData data = new StoreData();
            data.write(cluster.node(0), 3, "t", 20, 0, 4, "v1");

            // No cluster-wide shutdown: every node leaves on its own, then all start together.
            cluster.stopAll();
            cluster.startAll();
            cluster.awaitStable(3);

            data.verifyEveryNode(cluster);
        }
    }

    @Test
    void singleNodeKeepsItsChunksAcrossRestarts() {
        try (StoreCluster cluster = StoreCluster.of(1)) {
            StoreData data = new StoreData();
            data.write(cluster.node(0), 1, "t", 10, 0, 3, "v1");
            data.write(cluster.node(0), 3, "t", 10, 0, 3, "v1");
            data.delete(cluster.node(0), 1, new ChunkKey("t", 0, 1));

            cluster.stop(0);
            cluster.startNode(0);
            cluster.awaitStable(1);

            data.verifyEveryNode(cluster);
        }
    }
}
