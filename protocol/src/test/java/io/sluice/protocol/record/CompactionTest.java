package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Kafka's cleaner rules on real batches: keys, tombstones, compression, transactions and their markers. */
class CompactionTest {

    private static final long NOW = 1_000_000;
    private static final long COMMITTED = 7;
    private static final long ABORTED = 8;

    private static SimpleRecord record(String key, String value) {
        return new SimpleRecord(NOW - 10, bytes(key), value == null ? null : bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] chunk(MemoryRecords... batches) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MemoryRecords batch : batches) {
            ByteBuffer b = batch.buffer();
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        return out.toByteArray();
    }

    private static MemoryRecords marker(long offset, long producerId, boolean commit) {
        return MemoryRecords.withEndTransactionMarker(offset, NOW - 10, 0, producerId, (short) 0,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0));
    }

    /** offset → "key=value" of the data records, "COMMIT"/"ABORT" for markers. */
    private static Map<Long, String> contents(byte[] chunk) {
        Map<Long, String> contents = new HashMap<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(chunk)).batches()) {
            for (Record record : batch) {
                contents.put(record.offset(), batch.isControlBatch() ? ControlRecordType.parse(record.key()).name()
                        : text(record.key()) + "=" + text(record.value()));
            }
        }
        return contents;
    }

    private static String text(ByteBuffer b) {
        return b == null ? null : StandardCharsets.UTF_8.decode(b).toString();
    }

    /** Maps keys as a cleaner's dirty part would: every chunk here is dirty. */
    private static Map<String, Long> latest(byte[] chunk, Compaction.AbortedTransactions aborted) {
        Map<String, Long> latest = new HashMap<>();
        Compaction.forEachKey(chunk, aborted, (key, offset) -> latest.merge(text(key), offset, Math::max));
        return latest;
    }

    private static Compaction pass(Map<String, Long> latest, Compaction.AbortedTransactions aborted, long now,
            long deleteRetentionMs) {
        return new Compaction(key -> latest.getOrDefault(text(key.duplicate()), -1L), aborted, now,
                deleteRetentionMs);
    }

    @Test
    void keepsTheNewestRecordOfEachKeyAtItsOffsetInCompressedBatchesToo() {
        byte[] chunk = chunk(
                MemoryRecords.withRecords(0, Compression.gzip().build(), record("a", "1"), record("b", "1"),
                        record("a", "2")),
                MemoryRecords.withRecords(3, Compression.NONE, record("c", "1"), record("b", "2")),
                MemoryRecords.withRecords(5, Compression.NONE, new SimpleRecord(NOW, null, bytes("no key"))));
        Compaction.AbortedTransactions none = (producer, offset) -> false;

        Compaction.Cleaned cleaned = pass(latest(chunk, none), none, NOW, 0).clean(chunk);

        assertThat(contents(cleaned.bytes())).containsExactlyInAnyOrderEntriesOf(Map.of(2L, "a=2", 3L, "c=1",
                4L, "b=2"));
        assertThat(cleaned.recordsRead()).isEqualTo(6);
        assertThat(cleaned.recordsKept()).isEqualTo(3);
        List<Compression> codecs = new ArrayList<>();
        MemoryRecords.readableRecords(ByteBuffer.wrap(cleaned.bytes())).batches()
                .forEach(b -> codecs.add(Compression.of(b.compressionType()).build()));
        assertThat(codecs.get(0).type()).as("a rewritten batch keeps its codec").isEqualTo(Compression.gzip().build()
                .type());
    }

    @Test
    void aTombstoneStaysUntilTheDeleteHorizonOfThePassThatFirstKeptIt() {
        byte[] chunk = chunk(MemoryRecords.withRecords(0, Compression.NONE, record("a", "1"), record("a", null)));
        Compaction.AbortedTransactions none = (producer, offset) -> false;

        byte[] first = pass(latest(chunk, none), none, NOW, 1_000).clean(chunk).bytes();
        assertThat(contents(first)).containsExactlyEntriesOf(Map.of(1L, "a=null"));
        byte[] early = pass(Map.of(), none, NOW + 999, 1_000).clean(first).bytes();
        assertThat(contents(early)).containsExactlyEntriesOf(Map.of(1L, "a=null"));
        byte[] late = pass(Map.of(), none, NOW + 1_000, 1_000).clean(early).bytes();
        assertThat(contents(late)).isEmpty();
    }

    @Test
    void abortedRecordsGoAndMarkersGoOnlyOnceTheirTransactionIsGoneAndTheirHorizonPassed() {
        byte[] chunk = chunk(
                MemoryRecords.withTransactionalRecords(0, Compression.NONE, COMMITTED, (short) 0, 0, 0,
                        record("a", "in committed")),
                MemoryRecords.withTransactionalRecords(1, Compression.NONE, ABORTED, (short) 0, 0, 0,
                        record("b", "in aborted")),
                marker(2, COMMITTED, true),
                marker(3, ABORTED, false),
                MemoryRecords.withRecords(4, Compression.NONE, record("b", "plain")));
        Compaction.AbortedTransactions aborted = (producer, offset) -> producer == ABORTED && offset == 1;
        Map<String, Long> latest = latest(chunk, aborted);
        assertThat(latest).as("aborted records are not mapped").containsEntry("b", 4L).containsEntry("a", 0L);

        byte[] first = pass(latest, aborted, NOW, 10).clean(chunk).bytes();
        assertThat(contents(first)).containsExactlyInAnyOrderEntriesOf(Map.of(0L, "a=in committed", 2L, "COMMIT",
                3L, "ABORT", 4L, "b=plain"));

        // "a" is superseded: its batch goes, but this pass saw it, so the COMMIT stays; the ABORT waits its horizon.
        Map<String, Long> later = Map.of("a", 9L);
        byte[] second = pass(later, aborted, NOW, 10).clean(first).bytes();
        assertThat(contents(second)).containsExactlyInAnyOrderEntriesOf(Map.of(2L, "COMMIT", 3L, "ABORT",
                4L, "b=plain"));
        byte[] third = pass(later, aborted, NOW + 10, 10).clean(second).bytes();
        assertThat(contents(third)).as("the ABORT's horizon passed; the COMMIT's is set now")
                .containsExactlyInAnyOrderEntriesOf(Map.of(2L, "COMMIT", 4L, "b=plain"));
        byte[] fourth = pass(later, aborted, NOW + 20, 10).clean(third).bytes();
        assertThat(contents(fourth)).containsExactlyEntriesOf(Map.of(4L, "b=plain"));
    }
}
