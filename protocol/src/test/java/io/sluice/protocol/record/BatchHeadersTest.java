package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class BatchHeadersTest {

    private static ByteBuffer batch(long producerId, short epoch, int baseSequence, int records) {
        SimpleRecord[] values = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            values[i] = new SimpleRecord(1_000L + i, ("k" + i).getBytes(), ("value-" + i).getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence, values).buffer();
    }

    @Test
    void anEndTransactionMarkerIsOneTransactionalControlRecord() {
        ByteBuffer commit = BatchRecords.endTransactionMarker(17, (short) 2, 5, true, 1_000);
        ByteBuffer abort = BatchRecords.endTransactionMarker(17, (short) 2, 5, false, 1_000);

        assertThat(BatchHeaders.validate(commit, 0, commit.limit())).isEqualTo(1);
        assertThat(BatchHeaders.isControl(commit, 0)).isTrue();
        assertThat(BatchHeaders.isTransactional(commit, 0)).isTrue();
        assertThat(BatchHeaders.producerId(commit, 0)).isEqualTo(17);
        assertThat(BatchHeaders.producerEpoch(commit, 0)).isEqualTo((short) 2);
        assertThat(BatchHeaders.recordCount(commit, 0)).isEqualTo(1);
        RecordBatch batch = MemoryRecords.readableRecords(abort).batches().iterator().next();
        EndTransactionMarker marker = EndTransactionMarker.deserialize(batch.iterator().next());
        assertThat(marker.controlType()).isEqualTo(ControlRecordType.ABORT);
        assertThat(marker.coordinatorEpoch()).isEqualTo(5);
        assertThat(BatchRecords.markerCoordinatorEpoch(commit)).isEqualTo(5);
    }

    @Test
    void readsTheHeaderOfAWellFormedBatch() {
        ByteBuffer b = batch(17, (short) 2, 40, 3);

        assertThat(BatchHeaders.validate(b, 0, b.limit())).isEqualTo(1);
        assertThat(BatchHeaders.size(b, 0)).isEqualTo(b.limit());
        assertThat(BatchHeaders.lastOffsetDelta(b, 0)).isEqualTo(2);
        assertThat(BatchHeaders.producerId(b, 0)).isEqualTo(17);
        assertThat(BatchHeaders.producerEpoch(b, 0)).isEqualTo((short) 2);
        assertThat(BatchHeaders.baseSequence(b, 0)).isEqualTo(40);
        assertThat(BatchHeaders.lastSequence(b, 0)).isEqualTo(42);
        assertThat(BatchHeaders.maxTimestamp(b, 0)).isEqualTo(1_002L);
        assertThat(BatchHeaders.recordCount(b, 0)).isEqualTo(3);
    }

    @Test
    void stampingOffsetAndEpochKeepsTheCrcValid() {
        ByteBuffer b = batch(1, (short) 0, 0, 5);

        BatchHeaders.setBaseOffset(b, 0, 1_000);
        BatchHeaders.setLeaderEpoch(b, 0, 7);

        RecordBatch parsed = MemoryRecords.readableRecords(b.duplicate()).batches().iterator().next();
        parsed.ensureValid();
        assertThat(parsed.baseOffset()).isEqualTo(1_000);
        assertThat(parsed.lastOffset()).isEqualTo(1_004);
        assertThat(parsed.partitionLeaderEpoch()).isEqualTo(7);
    }

    @Test
    void logAppendTimeRecomputesTheCrc() {
        ByteBuffer b = batch(1, (short) 0, 0, 2);

        BatchHeaders.setLogAppendTime(b, 0, 99_000L);

        RecordBatch parsed = MemoryRecords.readableRecords(b.duplicate()).batches().iterator().next();
        parsed.ensureValid();
        assertThat(parsed.maxTimestamp()).isEqualTo(99_000L);
        assertThat(parsed.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
    }

    @Test
    void flippedByteFailsTheCrcCheck() {
        ByteBuffer b = batch(1, (short) 0, 0, 2);
        b.put(b.limit() - 3, (byte) (b.get(b.limit() - 3) ^ 0x5a));

        assertThatThrownBy(() -> BatchHeaders.validate(b, 0, b.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC");
    }

    @Test
    void sizeBeyondTheBufferIsCorrupt() {
        ByteBuffer b = batch(1, (short) 0, 0, 2);
        b.putInt(8, b.limit() * 2);

        assertThatThrownBy(() -> BatchHeaders.validate(b, 0, b.limit())).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void truncatedHeaderIsCorrupt() {
        ByteBuffer b = batch(1, (short) 0, 0, 1);

        assertThatThrownBy(() -> BatchHeaders.validate(b, 0, 30)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void oldMessageFormatIsAnInvalidRecordAndAnUnknownMagicIsCorrupt() {
        ByteBuffer old = batch(1, (short) 0, 0, 1);
        old.put(16, RecordBatch.MAGIC_VALUE_V1);
        ByteBuffer unknown = batch(1, (short) 0, 0, 1);
        unknown.put(16, (byte) 7);

        assertThatThrownBy(() -> BatchHeaders.validate(old, 0, old.limit()))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> BatchHeaders.validate(unknown, 0, unknown.limit()))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void aNewMaxTimestampKeepsTheCrcValid() {
        ByteBuffer b = batch(1, (short) 0, 0, 3);

        BatchHeaders.setMaxTimestamp(b, 0, 5_000L);

        assertThat(BatchHeaders.maxTimestamp(b, 0)).isEqualTo(5_000L);
        assertThat(BatchHeaders.validate(b, 0, b.limit())).isEqualTo(1);
    }

    @Test
    void sequenceWrapsAfterIntegerMax() {
        ByteBuffer b = batch(1, (short) 0, Integer.MAX_VALUE - 1, 4);

        assertThat(BatchHeaders.lastSequence(b, 0)).isEqualTo(1);
    }

    @Test
    void findsTheFirstRecordAtATimestamp() {
        SimpleRecord[] values = new SimpleRecord[5];
        for (int i = 0; i < values.length; i++) {
            values[i] = new SimpleRecord(1_000L + i, null, ("v" + i).getBytes());
        }
        ByteBuffer b = MemoryRecords.withRecords(Compression.NONE, values).buffer();
        BatchHeaders.setBaseOffset(b, 0, 100);

        assertThat(BatchRecords.firstAtOrAfter(b, 1_003L, 0)).isEqualTo(new BatchRecords.Found(103, 1_003L, -1));
        assertThat(BatchRecords.firstAtOrAfter(b, 5_000L, 0)).isNull();
        assertThat(BatchRecords.maxTimestamp(b)).isEqualTo(new BatchRecords.Found(104, 1_004L, -1));
    }
}
