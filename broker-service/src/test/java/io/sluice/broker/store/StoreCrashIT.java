package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two of three store nodes die at once (SIGKILL), in JVMs of their own: with rf=2, some data had both its owners
 * among them. Kafka keeps such a partition offline until its brokers return, with its data; so must the store.
 */
class StoreCrashIT {

    private final StoreCluster cluster = StoreCluster.create(3);
    private StoreNodeProcess one;
    private StoreNodeProcess two;

    @AfterEach
    void stopCluster() {
        List.of(one, two).forEach(StoreNodeProcess::close);
        cluster.close();
    }

    @Test
    void dataWhoseEveryOwnerCrashedComesBackWithThem() {
        one = StoreNodeProcess.start(cluster, 1);
        two = StoreNodeProcess.start(cluster, 2);
        cluster.startAll(0);
        awaitStable();
        StoreData data = new StoreData();
        for (int rf = 2; rf <= 3; rf++) {
            data.write(cluster.node(0), rf, "t", 12, 0, 3, "v1");
        }
        assertThat(cluster.node(0).owners(2, "t", 0)).hasSize(2);

        one.kill();
        two.kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.node(0).members().size() == 1);
        // Alone, node-0 holds no majority: nothing may change while the others are away.
        await().atMost(Duration.ofSeconds(15)).until(() -> !cluster.node(0).available());
        assertThat(data.write(cluster.node(0), 2, new ChunkKey("t", 0, 3), "v2")).failsWithin(Duration.ofSeconds(15))
                .withThrowableOfType(ExecutionException.class);

        one = StoreNodeProcess.start(cluster, 1);
        two = StoreNodeProcess.start(cluster, 2);
        awaitStable();
        data.verify(cluster, 0);
        data.verify(one, "node-1");
        data.verify(two, "node-2");
    }

    private void awaitStable() {
        cluster.awaitStable(3);
        await().atMost(Duration.ofSeconds(60)).until(() -> one.members().size() == 3 && two.members().size() == 3
                && !one.rebalancing() && !two.rebalancing() && cluster.node(0).available());
    }
}
