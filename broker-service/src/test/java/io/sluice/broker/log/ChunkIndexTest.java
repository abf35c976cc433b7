package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChunkIndexTest {

    private final ChunkIndex index = new ChunkIndex();

    ChunkIndexTest() {
        index.add(new ChunkInfo(0, 9, 1_000, 500, 0));
        index.add(new ChunkInfo(10, 24, 2_000, 700, 0));
        index.add(new ChunkInfo(25, 25, 1_500, 100, 2));
    }

    @Test
    void findsTheChunkHoldingAnOffset() {
        assertThat(index.chunkOf(0).baseOffset()).isZero();
        assertThat(index.chunkOf(9).baseOffset()).isZero();
        assertThat(index.chunkOf(10).baseOffset()).isEqualTo(10);
        assertThat(index.chunkOf(25).baseOffset()).isEqualTo(25);
        assertThat(index.chunkOf(26)).isNull();
    }

    @Test
    void findsTheFirstChunkReachingATimestamp() {
        assertThat(index.firstReaching(1_200).baseOffset()).isEqualTo(10);
        assertThat(index.firstReaching(3_000)).isNull();
        assertThat(index.newestTimestamp().baseOffset()).isEqualTo(10);
    }

    @Test
    void findsWhereAnEpochEnded() {
        assertThat(index.firstAfterEpoch(0).baseOffset()).isEqualTo(25);
        assertThat(index.firstAfterEpoch(2)).isNull();
    }

    @Test
    void entriesSurviveEncoding() {
        ChunkInfo chunk = new ChunkInfo(10, 24, 2_000, 700, 3);

        assertThat(ChunkInfo.decode(10, chunk.encode(List.of()))).isEqualTo(chunk);
    }

    @Test
    void countsBytes() {
        assertThat(index.totalBytes()).isEqualTo(1_300);
    }
}
