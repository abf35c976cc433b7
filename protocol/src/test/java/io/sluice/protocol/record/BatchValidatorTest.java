package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.protocol.record.BatchValidator.RecordError;
import io.sluice.protocol.record.BatchValidator.Rules;
import io.sluice.protocol.record.BatchValidator.Verdict;

/**
 * The checks a produced batch goes through. Every mutation below recomputes the CRC, so the batch passes
 * {@link BatchHeaders#validate} and only the deeper checks can refuse it.
 */
class BatchValidatorTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final Rules RULES = Rules.KAFKA_DEFAULTS;
    private static final int GZIP = 1;

    private static SimpleRecord[] records(int count, long timestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(timestamp + i, ("k" + i).getBytes(), ("value-" + i).getBytes());
        }
        return records;
    }

    private static ByteBuffer batch(Compression compression, SimpleRecord... records) {
        return MemoryRecords.withRecords(compression, records).buffer();
    }

    private static Verdict validate(ByteBuffer b) {
        return validate(b, RULES);
    }

    private static Verdict validate(ByteBuffer b, Rules rules) {
        assertThat(BatchHeaders.validate(b, 0, b.limit())).as("size, magic and CRC").isEqualTo(1);
        return BatchValidator.validate(b, 0, rules, NOW);
    }

    /** Makes the CRC match whatever the bytes now say. */
    static ByteBuffer withCrc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(21));
        b.putInt(17, (int) crc.getValue());
        return b;
    }

    /** The records' bytes of an uncompressed batch. */
    static byte[] payload(ByteBuffer batch) {
        return Arrays.copyOfRange(batch.array(), BatchHeaders.HEADER_SIZE, batch.limit());
    }

    /** {@code header}'s batch header (counts and timestamps as they are) over other records' bytes. */
    static ByteBuffer withPayload(ByteBuffer header, byte[] payload, int compressionId) {
        ByteBuffer b = ByteBuffer.allocate(BatchHeaders.HEADER_SIZE + payload.length);
        b.put(header.duplicate().position(0).limit(BatchHeaders.HEADER_SIZE)).put(payload).flip();
        b.putInt(8, b.limit() - 12);
        b.putShort(21, (short) ((b.getShort(21) & ~0x07) | compressionId));
        return withCrc(b);
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream(64);
        try (OutputStream zipped = Compression.gzip().build().wrapForOutput(out, RecordBatch.MAGIC_VALUE_V2)) {
            zipped.write(raw);
        }
        ByteBuffer bytes = out.buffer().flip();
        return Arrays.copyOfRange(bytes.array(), 0, bytes.limit());
    }

    @ParameterizedTest
    @ValueSource(strings = { "none", "gzip", "snappy", "lz4", "zstd" })
    void aWellFormedBatchIsValidWithEveryCodec(String codec) {
        ByteBuffer b = batch(Compression.of(codec).build(), records(20, NOW - 5_000));

        Verdict verdict = validate(b);

        assertThat(verdict.error()).isEqualTo(Errors.NONE);
        assertThat(verdict.maxTimestamp()).isEqualTo(NOW - 5_000 + 19);
    }

    @Test
    void aDamagedCompressedPayloadWithACorrectCrcIsAnInvalidRecord() {
        ByteBuffer flipped = batch(Compression.gzip().build(), records(50, NOW));
        for (int i = BatchHeaders.HEADER_SIZE + 12; i < flipped.limit() - 12; i += 7) {
            flipped.put(i, (byte) ~flipped.get(i));
        }
        ByteBuffer whole = batch(Compression.gzip().build(), records(50, NOW));
        ByteBuffer truncated = withPayload(whole, Arrays.copyOf(payload(whole), (whole.limit() - 61) / 2), GZIP);

        assertThat(validate(withCrc(flipped)).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(truncated).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(truncated).message()).contains("does not decode");
    }

    @Test
    void aRecordCountThatDisagreesWithTheOffsetsOrTheBytesIsAnInvalidRecord() {
        ByteBuffer mismatch = batch(Compression.NONE, records(3, NOW));
        mismatch.putInt(57, 5);
        ByteBuffer tooMany = batch(Compression.NONE, records(3, NOW));
        tooMany.putInt(57, 4).putInt(23, 3);
        ByteBuffer tooFew = batch(Compression.gzip().build(), records(3, NOW));
        tooFew.putInt(57, 2).putInt(23, 1);
        ByteBuffer huge = batch(Compression.NONE, records(3, NOW));
        huge.putInt(57, Integer.MAX_VALUE).putInt(23, Integer.MAX_VALUE - 1);

        assertThat(validate(withCrc(mismatch)).message()).contains("does not match last offset delta");
        assertThat(validate(withCrc(tooMany)).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(withCrc(tooFew)).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(withCrc(huge)).message()).contains("cannot hold " + Integer.MAX_VALUE + " records");
    }

    @Test
    void badVarintFramingIsAnInvalidRecordCompressedOrNot() throws IOException {
        ByteBuffer plain = batch(Compression.NONE, records(3, NOW));
        byte[] raw = payload(plain);
        Arrays.fill(raw, 0, 5, (byte) 0xff);
        ByteBuffer inPlace = withPayload(plain, raw, 0);
        ByteBuffer zipped = withPayload(plain, gzip(raw), GZIP);

        assertThat(validate(inPlace).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(inPlace).message()).contains("Varint is too long");
        assertThat(validate(zipped).error()).isEqualTo(Errors.INVALID_RECORD);
    }

    @Test
    void aRecordDeclaringTwoGigabytesInsideACompressedBatchIsRefusedWithoutAllocatingThem() throws IOException {
        ByteBuffer plain = batch(Compression.NONE, records(1, NOW));
        byte[] raw = payload(plain);
        ByteBuffer lying = ByteBuffer.allocate(raw.length + 5);
        ByteUtils.writeVarint(Integer.MAX_VALUE, lying);
        lying.put(raw, 1, raw.length - 1).flip();
        byte[] lyingRaw = Arrays.copyOf(lying.array(), lying.limit());

        Verdict verdict = validate(withPayload(plain, gzip(lyingRaw), GZIP));

        assertThat(verdict.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(verdict.message()).contains("declares");
    }

    @Test
    void truncatedAndTrailingRecordBytesAreInvalidRecords() {
        ByteBuffer plain = batch(Compression.NONE, records(3, NOW));
        byte[] raw = payload(plain);
        byte[] longer = Arrays.copyOf(raw, raw.length + 9);

        assertThat(validate(withPayload(plain, Arrays.copyOf(raw, raw.length - 4), 0)).error())
                .isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(withPayload(plain, longer, 0)).message()).contains("follow the batch's 3 records");
    }

    @Test
    void offsetDeltasMustCountUpFromZero() {
        ByteBuffer b = batch(Compression.NONE, records(3, NOW));
        int second = BatchHeaders.HEADER_SIZE + 1 + b.get(BatchHeaders.HEADER_SIZE) / 2;
        // size varint (one byte), attributes, timestamp delta (one byte), then the offset delta: 1, zigzag 2.
        assertThat(b.get(second + 3)).isEqualTo((byte) 2);
        b.put(second + 3, (byte) 10);

        Verdict verdict = validate(withCrc(b));

        assertThat(verdict.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(verdict.recordErrors()).extracting(RecordError::batchIndex).containsExactly(1);
    }

    @Test
    void timestampsOutsideTheTopicsBoundsAreInvalidTimestampsPerRecord() {
        SimpleRecord[] records = { new SimpleRecord(NOW, "a".getBytes(), null),
                new SimpleRecord(NOW + 2 * 3_600_000L, "b".getBytes(), null),
                new SimpleRecord(RecordBatch.NO_TIMESTAMP, "c".getBytes(), null),
                new SimpleRecord(NOW - 2 * 86_400_000L, "d".getBytes(), null) };
        Rules dayBefore = new Rules(false, 86_400_000L, 3_600_000L, false);

        Verdict defaults = validate(batch(Compression.NONE, records));
        Verdict bounded = validate(batch(Compression.lz4().build(), records), dayBefore);
        Verdict appendTime = validate(batch(Compression.NONE, records), new Rules(true, 1, 1, false));

        assertThat(defaults.error()).isEqualTo(Errors.INVALID_TIMESTAMP);
        assertThat(defaults.recordErrors()).extracting(RecordError::batchIndex).containsExactly(1);
        assertThat(bounded.recordErrors()).extracting(RecordError::batchIndex).containsExactly(1, 3);
        assertThat(appendTime.error()).isEqualTo(Errors.NONE);
    }

    @Test
    void extremeTimestampsDoNotOverflowTheBounds() {
        Rules bounded = new Rules(false, 86_400_000L, 3_600_000L, false);
        Rules unbounded = new Rules(false, Long.MAX_VALUE, Long.MAX_VALUE, false);
        ByteBuffer ancient = batch(Compression.NONE, new SimpleRecord(0, "k".getBytes(), null));
        ancient.putLong(27, Long.MIN_VALUE + 1).putLong(35, Long.MIN_VALUE + 1);
        withCrc(ancient);

        assertThat(validate(ancient, bounded).error()).isEqualTo(Errors.INVALID_TIMESTAMP);
        assertThat(validate(ancient, unbounded).error()).isEqualTo(Errors.NONE);
        assertThat(validate(batch(Compression.NONE, new SimpleRecord(Long.MAX_VALUE, (byte[]) null, null)), unbounded).error())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutKeysAndListsAtMostAThousand() {
        SimpleRecord[] keyless = new SimpleRecord[1_500];
        for (int i = 0; i < keyless.length; i++) {
            keyless[i] = new SimpleRecord(NOW, null, "v".getBytes());
        }
        Rules compacted = new Rules(false, Long.MAX_VALUE, Long.MAX_VALUE, true);

        Verdict verdict = validate(batch(Compression.zstd().build(), keyless), compacted);

        assertThat(verdict.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(verdict.message()).startsWith("1500 of the batch's records");
        assertThat(verdict.recordErrors()).hasSize(BatchValidator.MAX_RECORD_ERRORS);
        assertThat(validate(batch(Compression.NONE, records(2, NOW)), compacted).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void headerFieldsAClientMayNotWriteAreRefused() {
        ByteBuffer offset = batch(Compression.NONE, records(2, NOW));
        offset.putLong(0, 42);
        ByteBuffer sequence = MemoryRecords.withIdempotentRecords(Compression.NONE, 7, (short) 0, 0, records(2, NOW))
                .buffer();
        sequence.putInt(53, -1);
        ByteBuffer epoch = MemoryRecords.withIdempotentRecords(Compression.NONE, 7, (short) 0, 0, records(2, NOW))
                .buffer();
        epoch.putShort(51, (short) -3);
        ByteBuffer transactional = batch(Compression.NONE, records(2, NOW));
        transactional.putShort(21, (short) (transactional.getShort(21) | 0x10));
        ByteBuffer control = batch(Compression.NONE, records(2, NOW));
        control.putShort(21, (short) (control.getShort(21) | 0x20));
        ByteBuffer codec = batch(Compression.NONE, records(2, NOW));
        codec.putShort(21, (short) (codec.getShort(21) | 0x05));
        ByteBuffer appendTime = batch(Compression.NONE, records(2, NOW));
        appendTime.putShort(21, (short) (appendTime.getShort(21) | 0x08));

        assertThat(validate(offset).message()).contains("base offset 0");
        assertThat(validate(withCrc(sequence)).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(withCrc(epoch)).error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(validate(withCrc(transactional)).message()).contains("needs a producer id");
        assertThat(validate(withCrc(control)).message()).contains("control batches");
        assertThat(validate(withCrc(codec)).message()).contains("compression type id 5");
        assertThat(validate(withCrc(appendTime)).error()).isEqualTo(Errors.INVALID_TIMESTAMP);
    }
}
