package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store node killed and started again takes every chunk it owns from the others, a few hundred MiB of chunks of
 * 1 MiB, in a JVM of 256 MiB, and the node that hands them over stays up too. With Infinispan's default of 512 entries
 * a message, a broker back from its kill was sent all of a partition's chunks at once, and ran out of heap.
 */
class StoreTransferIT {

    private static final int CHUNK_BYTES = 1024 * 1024;
    private static final int CHUNKS = 200;

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
    void aNodeBackFromItsKillTakesHundredsOfMegabytesOfChunksWithinItsHeap() {
        PartitionStore node0 = nodes.node0();
        byte[] chunk = new byte[CHUNK_BYTES];
        Arrays.fill(chunk, (byte) 'x');
        // Eight at a time, one partition: every chunk in the same segment, as a busy partition's are.
        for (int from = 0; from < CHUNKS; from += 8) {
            CompletableFuture.allOf(IntStream.range(from, Math.min(CHUNKS, from + 8))
                    .mapToObj(i -> node0.write(3, new StoredChunk(key(i), 0), chunk,
                            ("entry-" + i).getBytes(StandardCharsets.UTF_8)))
                    .toArray(CompletableFuture[]::new)).join();
        }

        nodes.process(2).kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> node0.members().size() == 2);
        nodes.restart(2);
        nodes.awaitStable();

        StoreData.Reader back = nodes.process(2).ownCopies();
        assertThat(back.index(3, "t", 0)).as("chunks the node back holds itself").hasSize(CHUNKS);
        for (int i = 0; i < CHUNKS; i += 40) {
            assertThat(back.chunk(3, key(i))).as("chunk " + i).hasSize(CHUNK_BYTES);
        }
        assertThat(nodes.process(1).members()).as("the other process, which may have handed chunks over").hasSize(3);
    }

    private static ChunkKey key(int i) {
        return new ChunkKey("t", 0, i);
    }
}
