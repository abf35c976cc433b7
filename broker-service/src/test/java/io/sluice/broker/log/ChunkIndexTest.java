package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The chunk index: look-ups by offset, timestamp and epoch, and what retention removes. */
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
        assertThat(index.firstReaching(1_200, 0).baseOffset()).isEqualTo(10);
        assertThat(index.firstReaching(3_000, 0)).isNull();
        assertThat(index.firstReaching(0, 12).baseOffset()).as("from an offset within a chunk").isEqualTo(10);
        assertThat(index.firstReaching(0, 25).baseOffset()).as("below the log start").isEqualTo(25);
        assertThat(index.newestTimestamp().baseOffset()).isEqualTo(10);
    }

    @Test
    void chunksBeforeAnOffsetEndBelowItAndBelowTheFirstUnstableOffset() {
        assertThat(index.before(24, Long.MAX_VALUE)).extracting(ChunkInfo::baseOffset).containsExactly(0L);
        assertThat(index.before(25, Long.MAX_VALUE)).extracting(ChunkInfo::baseOffset).containsExactly(0L, 10L);
        assertThat(index.before(26, 20)).as("the chunk holding a transaction's start stays")
                .extracting(ChunkInfo::baseOffset).containsExactly(0L);
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
    void listsTheNewestChunksNewestFirst() {
        assertThat(index.newest(2)).extracting(ChunkInfo::baseOffset).containsExactly(25L, 10L);
        assertThat(index.newest(8)).extracting(ChunkInfo::baseOffset).containsExactly(25L, 10L, 0L);
    }

    @Test
    void retentionByTimeExpiresTheHeadUpToTheFirstRecentChunk() {
        assertThat(index.expired(1_000, -1, 2_000, Long.MAX_VALUE)).isEmpty();
        assertThat(index.expired(1_000, -1, 2_700, Long.MAX_VALUE)).as("the chunk at 25 is old too, but follows one kept")
                .extracting(ChunkInfo::baseOffset).containsExactly(0L);
        assertThat(index.expired(1_000, -1, 3_001, Long.MAX_VALUE)).extracting(ChunkInfo::baseOffset)
                .containsExactly(0L, 10L, 25L);
        assertThat(index.expired(-1, -1, Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void retentionBySizeKeepsAtLeastRetentionBytesAsKafkaDoes() {
        assertThat(index.expired(-1, 1_300, 0, Long.MAX_VALUE)).isEmpty();
        assertThat(index.expired(-1, 1_299, 0, Long.MAX_VALUE)).as("800 bytes would be left").isEmpty();
        assertThat(index.expired(-1, 800, 0, Long.MAX_VALUE)).extracting(ChunkInfo::baseOffset).containsExactly(0L);
        assertThat(index.expired(-1, 101, 0, Long.MAX_VALUE)).extracting(ChunkInfo::baseOffset).containsExactly(0L);
        assertThat(index.expired(-1, 100, 0, Long.MAX_VALUE)).extracting(ChunkInfo::baseOffset)
                .containsExactly(0L, 10L);
        assertThat(index.expired(-1, 0, 0, Long.MAX_VALUE)).hasSize(3);
    }

    @Test
    void retentionKeepsEveryChunkFromTheOneHoldingTheFirstOffsetToKeep() {
        assertThat(index.expired(-1, 0, 0, 24)).extracting(ChunkInfo::baseOffset).containsExactly(0L);
        assertThat(index.expired(-1, 0, 0, 9)).isEmpty();
    }

    @Test
    void knowsWhichChunksItHolds() {
        index.remove(10);

        assertThat(index.contains(0)).isTrue();
        assertThat(index.contains(10)).isFalse();
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.chunkOf(12)).isNull();
    }
}
