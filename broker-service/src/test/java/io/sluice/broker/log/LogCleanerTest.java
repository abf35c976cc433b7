package io.sluice.broker.log;

import static org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.broker.store.ChunkKey;
import io.sluice.broker.store.StoredChunk;

/** Compaction of partition logs on a real (single-node) Infinispan store, as the broker's cleaner runs it. */
class LogCleanerTest {

    @RegisterExtension
    static final SingleNodeStore STORE = new SingleNodeStore("cleaner-test");

    /** Every chunk rolls the segment, and any dirt is worth a pass. */
    private static final LogSettings COMPACTED = SingleNodeStore.SETTINGS.withTopicConfigs(Map.of(
            "cleanup.policy", "compact", "segment.ms", "1", "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", "0", "retention.ms", "1"));

    private record Kept(long offset, String key, String value) {
    }

    private static ByteBuffer keyed(String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
                key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8)))
                .buffer();
    }

    /** Appends {@code count} records, one chunk each, with keys k0..k4 in turn and values v0, v1, ... */
    private static void appendVersions(PartitionLog log, int from, int count) {
        for (int i = from; i < from + count; i++) {
            log.append(keyed("k" + (i % 5), "v" + i)).join();
        }
    }

    private static List<Kept> readAll(PartitionLog log) {
        List<Kept> kept = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.highWatermark()) {
            ReadResult read = log.read(offset, 1 << 20, READ_UNCOMMITTED).join();
            assertThat(read.error()).isEqualTo(org.apache.kafka.common.protocol.Errors.NONE);
            long next = offset;
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(read.records()).batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset) {
                        kept.add(new Kept(record.offset(), text(record.key()), text(record.value())));
                    }
                }
                next = Math.max(next, batch.lastOffset() + 1);
            }
            assertThat(next).as("a read from %d moves on", offset).isGreaterThan(offset);
            offset = next;
        }
        return kept;
    }

    private static String text(ByteBuffer bytes) {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString();
    }

    /** Opens the log and waits until the cleaner may work on it (what earlier leaders left is removed). */
    private static PartitionLog openCompacted(PartitionId id, int epoch) {
        PartitionLog log = STORE.open(id, epoch, COMPACTED);
        await().atMost(Duration.ofSeconds(10)).until(log::compacts);
        return log;
    }

    private static LogCleaner cleanerOf(PartitionLog log) {
        return new LogCleaner(() -> List.of(log), new LogCleaner.Settings(1 << 20, Duration.ofSeconds(1),
                Duration.ZERO), new SimpleMeterRegistry());
    }

    /** The newest 8 chunks are never cleaned: a new leader replays them for producer state. */
    private static List<Kept> expectedAfterCleaning(int versions) {
        int cleanableEnd = versions - LogRecovery.CHUNKS_REPLAYED;
        List<Kept> expected = new ArrayList<>();
        for (int i = 0; i < versions; i++) {
            if (i >= cleanableEnd || i >= cleanableEnd - 5) {
                expected.add(new Kept(i, "k" + (i % 5), "v" + i));
            }
        }
        return expected;
    }

    @Test
    void keepsTheLatestRecordOfEachKeyAtItsOffset() {
        PartitionLog log = openCompacted(STORE.newPartition(), 0);
        appendVersions(log, 0, 40);
        long before = log.sizeInBytes();

        cleanerOf(log).cleanDirtiest();

        assertThat(readAll(log)).containsExactlyElementsOf(expectedAfterCleaning(40));
        assertThat(log.sizeInBytes()).isLessThan(before / 2);
        log.enforceRetention(System.currentTimeMillis()).join();
        assertThat(log.logStartOffset()).as("retention.ms does not apply to a compact-only topic").isZero();
        assertThat(log.highWatermark()).isEqualTo(40);
    }

    @Test
    void aNewLeaderServesTheCleanedLogAndGoesOnAfterIt() {
        PartitionId id = STORE.newPartition();
        PartitionLog first = openCompacted(id, 0);
        appendVersions(first, 0, 40);
        cleanerOf(first).cleanDirtiest();
        first.close();

        PartitionLog next = openCompacted(id, 1);

        assertThat(readAll(next)).containsExactlyElementsOf(expectedAfterCleaning(40));
        assertThat(next.append(keyed("k0", "after")).join().baseOffset()).isEqualTo(40);
        appendVersions(next, 41, 20);
        cleanerOf(next).cleanDirtiest();
        List<Kept> kept = readAll(next);
        assertThat(kept).hasSize(5 + LogRecovery.CHUNKS_REPLAYED);
        assertThat(kept.subList(0, 5)).extracting(Kept::key).as("one record per key in the cleaned part")
                .doesNotHaveDuplicates();
        assertThat(kept.get(kept.size() - 1)).isEqualTo(new Kept(60, "k0", "v60"));
    }

    @Test
    void aPassLeavesLargeCleanedChunksItDoesNotChangeAsTheyAre() {
        LogSettings small = new LogSettings(COMPACTED.maxMessageBytes(), COMPACTED.records(), COMPACTED.retentionMs(),
                COMPACTED.retentionBytes(), COMPACTED.cleanup(), 256, COMPACTED.recentMemory());
        PartitionId id = STORE.newPartition();
        PartitionLog log = STORE.open(id, 0, small);
        await().atMost(Duration.ofSeconds(10)).until(log::compacts);
        for (int i = 0; i < 40; i++) {
            log.append(keyed("key-" + i, "v" + i)).join();
        }
        LogCleaner cleaner = cleanerOf(log);
        cleaner.cleanDirtiest();
        List<ChunkInfo> settled = log.cleanableChunks(System.currentTimeMillis()).stream()
                .filter(c -> c.isCleaned() && c.sizeInBytes() >= 128).toList();
        assertThat(settled).isNotEmpty();

        for (int i = 40; i < 60; i++) {
            log.append(keyed("key-" + i, "v" + i)).join();
        }
        cleaner.cleanDirtiest();

        assertThat(log.cleanableChunks(System.currentTimeMillis())).as("no key of theirs came again")
                .containsAll(settled);
        assertThat(readAll(log)).hasSize(60);
    }

    @Test
    void tombstonesStayForDeleteRetentionThenGo() {
        PartitionLog log = openCompacted(STORE.newPartition(), 0);
        appendVersions(log, 0, 10);
        log.append(keyed("gone", "x")).join();
        log.append(keyed("gone", null)).join();
        appendVersions(log, 12, 24);
        LogCleaner cleaner = cleanerOf(log);

        cleaner.cleanDirtiest();
        assertThat(readAll(log)).contains(new Kept(11, "gone", null)).extracting(Kept::offset).doesNotContain(10L);

        appendVersions(log, 36, 5);
        cleaner.cleanDirtiest();
        assertThat(readAll(log)).as("delete.retention.ms is 0: the next pass drops it").extracting(Kept::key)
                .doesNotContain("gone");
    }

    @Test
    void aCleaningCutShortLeavesTheReplacedSlotsToTheNextLeader() {
        PartitionId id = STORE.newPartition();
        PartitionLog first = openCompacted(id, 0);
        appendVersions(first, 0, 40);
        List<ChunkInfo> replaced = first.cleanableChunks(System.currentTimeMillis());
        cleanerOf(first).cleanDirtiest();
        first.close();
        // As if the leader had died between the swap of the first slot and the release of the others: the replaced
        // chunks' slots still hold their entries, and their bytes are still there.
        for (ChunkInfo chunk : replaced.subList(1, replaced.size())) {
            assertThat(STORE.store().write(1, new StoredChunk(key(id, chunk), 0), new byte[] { 1 },
                    chunk.encode(List.of())).join()).isTrue();
        }

        PartitionLog next = openCompacted(id, 1);

        assertThat(readAll(next)).containsExactlyElementsOf(expectedAfterCleaning(40));
        for (ChunkInfo chunk : replaced.subList(1, replaced.size())) {
            assertThat(STORE.store().readIndexEntry(1, key(id, chunk)).join()).as("slot %d", chunk.baseOffset())
                    .isNull();
        }
    }

    @Test
    void cleanedBytesNoEntryPointsAtGoOnlyOnceTheLeaderHasLedLongEnough() {
        PartitionId id = STORE.newPartition();
        PartitionLog first = openCompacted(id, 0);
        appendVersions(first, 0, 10);
        first.close();
        // A deposed leader's cleaning, stored but never swapped in: it may still be under way.
        StoredChunk orphan = new StoredChunk(new ChunkKey(id.topicId(), id.partition(), 0), 0, 42);
        STORE.store().writeCleaned(1, orphan, new byte[] { 1 }).join();

        PartitionLog next = openCompacted(id, 1);
        new LogCleaner(() -> List.of(next), new LogCleaner.Settings(1 << 20, Duration.ofSeconds(1),
                Duration.ofHours(1)), new SimpleMeterRegistry()).cleanDirtiest();
        assertThat(STORE.store().readChunk(1, orphan).join()).as("within the grace").isNotNull();

        cleanerOf(next).cleanDirtiest();
        assertThat(STORE.store().readChunk(1, orphan).join()).isNull();
        assertThat(readAll(next)).hasSize(10);
    }

    @Test
    void theSweepForLeftoversLeavesTheLeadersOwnReplacedCleaningsToTheirDelay() {
        PartitionId id = STORE.newPartition();
        PartitionLog log = openCompacted(id, 0);
        LogCleaner slowDeletes = new LogCleaner(() -> List.of(log), new LogCleaner.Settings(1 << 20,
                Duration.ofSeconds(1), Duration.ofHours(1)), new SimpleMeterRegistry());
        appendVersions(log, 0, 40);
        slowDeletes.cleanDirtiest();
        ChunkInfo firstCleaning = log.cleanableChunks(System.currentTimeMillis()).get(0);
        assertThat(firstCleaning.isCleaned()).isTrue();
        appendVersions(log, 40, 20);
        slowDeletes.cleanDirtiest();
        assertThat(log.cleanableChunks(System.currentTimeMillis()).get(0)).isNotEqualTo(firstCleaning);

        log.removeCleaningLeftovers(System.currentTimeMillis(), 0).join();

        assertThat(STORE.store().readChunk(1, new StoredChunk(key(id, firstCleaning), 0, firstCleaning.cleaning()))
                .join()).as("replaced, still readable until its delay").isNotNull();
    }

    private static ChunkKey key(PartitionId id, ChunkInfo chunk) {
        return new ChunkKey(id.topicId(), id.partition(), chunk.baseOffset());
    }
}
