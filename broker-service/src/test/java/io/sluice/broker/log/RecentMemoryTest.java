package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The newest chunks of every partition a broker leads, kept together within one bound. */
class RecentMemoryTest {

    private static final int CHUNK = 1_000;

    private final RecentMemory memory = new RecentMemory(10 * CHUNK);

    /**
     * Many partitions written at once stay within the broker's bound together. Each partition had its own bound before,
     * so a broker leading many busy partitions held their number times that bound, more than its heap.
     */
    @Test
    void manyBusyPartitionsShareOneBound() {
        List<RecentChunks> partitions = IntStream.range(0, 100).mapToObj(p -> new RecentChunks(memory)).toList();
        for (int offset = 0; offset < 50; offset++) {
            for (RecentChunks partition : partitions) {
                partition.add(chunk(offset), new byte[CHUNK]);
            }
        }

        assertThat(memory.usedBytes()).isEqualTo(10L * CHUNK);
        assertThat(memory.evictedBytes()).isEqualTo((100L * 50 - 10) * CHUNK);
        // The newest chunks stay: those of the last partitions written.
        assertThat(partitions.get(99).get(chunk(49))).isNotNull();
        assertThat(partitions.get(0).get(chunk(49))).isNull();
    }

    /** The oldest chunk goes first, whichever partition holds it: an idle partition gives its memory to a busy one. */
    @Test
    void theOldestChunkGoesFirst() {
        RecentChunks idle = new RecentChunks(memory);
        RecentChunks busy = new RecentChunks(memory);
        idle.add(chunk(0), new byte[CHUNK]);
        for (int offset = 0; offset < 9; offset++) {
            busy.add(chunk(offset), new byte[CHUNK]);
        }
        assertThat(idle.get(chunk(0))).isNotNull();

        busy.add(chunk(9), new byte[CHUNK]);

        assertThat(idle.get(chunk(0))).isNull();
        assertThat(busy.get(chunk(0))).isNotNull();
        assertThat(busy.get(chunk(9))).isNotNull();
        assertThat(memory.usedBytes()).isEqualTo(10L * CHUNK);
    }

    /** Chunks a log removes, replaces or drops on closing give their memory back at once. */
    @Test
    void removedReplacedAndClosedChunksGiveTheirMemoryBack() {
        RecentChunks log = new RecentChunks(memory);
        for (int offset = 0; offset < 5; offset++) {
            log.add(chunk(offset), new byte[CHUNK]);
        }
        log.remove(0);
        log.add(chunk(1), new byte[CHUNK / 2]);
        assertThat(memory.usedBytes()).isEqualTo(3L * CHUNK + CHUNK / 2);

        log.clear();

        assertThat(memory.usedBytes()).isZero();
        assertThat(log.get(chunk(2))).isNull();
        assertThat(memory.evictedBytes()).isZero();
    }

    /** A partition that keeps replacing chunks, the bound never reached, does not grow the memory's bookkeeping. */
    @Test
    void chunksGivenBackLeaveNoBookkeepingBehind() {
        RecentChunks log = new RecentChunks(memory);
        for (int round = 0; round < 10_000; round++) {
            log.add(chunk(round), new byte[1]);
            log.remove(round);
        }
        RecentChunks other = new RecentChunks(memory);
        for (int offset = 0; offset < 10; offset++) {
            other.add(chunk(offset), new byte[CHUNK]);
        }

        assertThat(memory.usedBytes()).isEqualTo(10L * CHUNK);
        assertThat(memory.evictedBytes()).isZero();
        assertThat(memory.queued()).isLessThan(3_000);
    }

    private static ChunkInfo chunk(long baseOffset) {
        return new ChunkInfo(baseOffset, baseOffset, baseOffset, CHUNK, 0, 0);
    }
}
