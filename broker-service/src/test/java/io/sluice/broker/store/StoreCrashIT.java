package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two of three store nodes die at once (SIGKILL), in JVMs of their own: with rf=2, some data had both its owners
 * among them. Kafka keeps such a partition offline until its brokers return, with its data; so must the store.
 */
class StoreCrashIT {

    private StoreNodesInProcesses nodes;

    @BeforeEach
    void startCluster() {
        nodes = StoreNodesInProcesses.start();
    }

    @AfterEach
    void stopCluster() {
        nodes.close();
    }

    @Test
    void dataWhoseEveryOwnerCrashedComesBackWithThem() {
        PartitionStore node0 = nodes.node0();
        StoreData data = new StoreData();
        for (int rf = 2; rf <= 3; rf++) {
            data.write(node0, rf, "t", 12, 0, 3, "v1");
        }
        assertThat(node0.owners(2, "t", 0)).hasSize(2);

        nodes.process(1).kill();
        nodes.process(2).kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> node0.members().size() == 1);
        // Alone, node-0 holds no majority: nothing may change while the others are away.
        await().atMost(Duration.ofSeconds(15)).until(() -> !node0.available());
        assertThat(data.write(node0, 2, new ChunkKey("t", 0, 3), "v2")).failsWithin(Duration.ofSeconds(15))
                .withThrowableOfType(ExecutionException.class);

        nodes.restart(1);
        nodes.restart(2);
        nodes.awaitStable();
        data.verify(nodes.cluster(), 0);
        data.verify(nodes.process(1), "node-1");
        data.verify(nodes.process(2), "node-2");
    }
}
