package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store node killed and started again takes every chunk it owns from the others, a few hundred MiB of chunks of
 * 1 MiB, in a JVM of 256 MiB, and the node that hands them over stays up too. With Infinispan's default of 512 entries
 * a message, a broker back from its kill was sent all of a partition's chunks at once, and ran out of heap.
 */
class StoreTransferIT {

    private static final int CHUNK_BYTES = 1024 * 1024;
    private static final int CHUNKS = 200;

    private final StoreCluster cluster = StoreCluster.create(3);
    private StoreNodeProcess one;
    private StoreNodeProcess two;

    @AfterEach
    void stopCluster() {
        List.of(one, two).forEach(StoreNodeProcess::close);
        cluster.close();
    }

    @Test
    void aNodeBackFromItsKillTakesHundredsOfMegabytesOfChunksWithinItsHeap() {
        one = StoreNodeProcess.start(cluster, 1);
        two = StoreNodeProcess.start(cluster, 2);
        cluster.startAll(0);
        awaitStable();
        byte[] chunk = new byte[CHUNK_BYTES];
        Arrays.fill(chunk, (byte) 'x');
        // Eight at a time, one partition: every chunk in the same segment, as a busy partition's are.
        for (int from = 0; from < CHUNKS; from += 8) {
            CompletableFuture.allOf(IntStream.range(from, Math.min(CHUNKS, from + 8))
                    .mapToObj(i -> cluster.node(0).write(3, new StoredChunk(key(i), 0), chunk,
                            ("entry-" + i).getBytes(StandardCharsets.UTF_8)))
                    .toArray(CompletableFuture[]::new)).join();
        }

        two.kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.node(0).members().size() == 2);
        two = StoreNodeProcess.start(cluster, 2);
        awaitStable();

        assertThat(two.ownCopies().index(3, "t", 0)).as("chunks the node back holds itself").hasSize(CHUNKS);
        for (int i = 0; i < CHUNKS; i += 40) {
            assertThat(two.ownCopies().chunk(3, key(i))).as("chunk " + i).hasSize(CHUNK_BYTES);
        }
        assertThat(one.members()).as("the other process, which may have handed chunks over").hasSize(3);
    }

    private static ChunkKey key(int i) {
        return new ChunkKey("t", 0, i);
    }

    private void awaitStable() {
        cluster.awaitStable(3);
        await().atMost(Duration.ofSeconds(90)).until(() -> one.members().size() == 3 && two.members().size() == 3
                && !one.rebalancing() && !two.rebalancing() && cluster.node(0).available());
    }
}
