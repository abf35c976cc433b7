package io.sluice.protocol.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.PartialDefaultRecord;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;

/**
 * Checks a produced record batch before anything of it is stored, as Kafka's LogValidator does: the header's fields
 * against each other, then every record's framing, offset delta, timestamp and key. An uncompressed batch is read in
 * place; a compressed one is decompressed as a stream, record by record, skipping keys and values, never held whole.
 * {@link BatchHeaders#validate} has checked the batch's size, magic and CRC before. Every count the batch declares is
 * bounded by the bytes that must carry it before anything is done for it.
 */
public final class BatchValidator {

    /** The smallest record: one byte each for its size, attributes, deltas, key and value lengths, header count. */
    static final int MIN_RECORD_SIZE = 7;
    /**
     * What a compressed batch may decompress to. No Kafka producer builds such a batch (its batch.size counts the
     * compressed estimate, its max.request.size every record); the bound caps the work a small request can ask for.
     */
    static final int MAX_UNCOMPRESSED_BYTES = 256 << 20;
    /** Record errors one answer lists; past these the batch is refused all the same. */
    static final int MAX_RECORD_ERRORS = 1_000;
    private static final int MAX_COMPRESSION_ID = 4;

    /** Decompression buffers, reused by each thread (a supplier is not thread-safe). */
    private static final ThreadLocal<BufferSupplier> BUFFERS = ThreadLocal.withInitial(BufferSupplier::create);

    private BatchValidator() {
    }

    /**
     * What a topic asks of its records: Kafka's message.timestamp.type (LogAppendTime stamps the batch instead of
     * checking it), message.timestamp.before.max.ms and after.max.ms, and keys for a compacted topic.
     */
    public record Rules(boolean logAppendTime, long timestampBeforeMaxMs, long timestampAfterMaxMs,
            boolean keysRequired) {

        /** Kafka 4's topic defaults: CreateTime, any past timestamp, at most one hour ahead, keys optional. */
        public static final Rules KAFKA_DEFAULTS = new Rules(false, Long.MAX_VALUE, 3_600_000L, false);
    }

    /** A record that made its batch fail, by its index in the batch (Produce's per-record errors). */
    public record RecordError(int batchIndex, String message) {
    }

    /**
     * The outcome: NONE and the largest timestamp of the records, or the error for the whole batch (CORRUPT_MESSAGE is
     * not among them: the CRC held) with the records at fault when Kafka names them.
     */
    public record Verdict(Errors error, String message, List<RecordError> recordErrors, long maxTimestamp) {

        static Verdict valid(long maxTimestamp) {
            return new Verdict(Errors.NONE, null, List.of(), maxTimestamp);
        }

        static Verdict refused(Errors error, String message) {
            return new Verdict(error, message, List.of(), RecordBatch.NO_TIMESTAMP);
        }

        public boolean isValid() {
            return error == Errors.NONE;
        }
    }

    /**
     * Checks the batch at {@code pos} (whole, its CRC valid) as produced by a client at {@code now}. Reads the bytes,
     * never changes them.
     */
    public static Verdict validate(ByteBuffer b, int pos, Rules rules, long now) {
        Verdict refused = checkHeader(b, pos);
        if (refused != null) {
            return refused;
        }
        RecordChecks checks = new RecordChecks(rules, now);
        try {
            if (BatchHeaders.compressionId(b, pos) == 0) {
                readInPlace(b, pos, checks);
            } else {
                readDecompressed(b, pos, checks);
            }
        } catch (IOException | RuntimeException e) {
            // Kafka's record classes and the codecs throw a mix of InvalidRecordException, KafkaException,
            // IllegalArgumentException (a varint too long), buffer underflows and IOExceptions on hostile bytes.
            return Verdict.refused(Errors.INVALID_RECORD,
                    "record " + checks.next + " of the batch does not decode: " + e.getMessage());
        }
        return checks.verdict();
    }

    /** The header's fields against each other and against what a client may write, as Kafka's validateBatch. */
    private static Verdict checkHeader(ByteBuffer b, int pos) {
        long baseOffset = BatchHeaders.baseOffset(b, pos);
        int lastOffsetDelta = BatchHeaders.lastOffsetDelta(b, pos);
        int count = BatchHeaders.recordCount(b, pos);
        long producerId = BatchHeaders.producerId(b, pos);
        int compression = BatchHeaders.compressionId(b, pos);
        if (baseOffset != 0) {
            return invalidRecord("a produced batch must have base offset 0, not " + baseOffset);
        }
        if (lastOffsetDelta < 0 || count <= 0 || count != lastOffsetDelta + 1L) {
            return invalidRecord("record count " + count + " does not match last offset delta " + lastOffsetDelta);
        }
        if (BatchHeaders.isControl(b, pos)) {
            return invalidRecord("clients may not write control batches");
        }
        if (producerId >= 0 && (BatchHeaders.producerEpoch(b, pos) < 0 || BatchHeaders.baseSequence(b, pos) < 0)) {
            return invalidRecord("producer id " + producerId + " with epoch " + BatchHeaders.producerEpoch(b, pos)
                    + " and base sequence " + BatchHeaders.baseSequence(b, pos));
        }
        if (producerId < 0 && BatchHeaders.isTransactional(b, pos)) {
            return invalidRecord("a transactional batch needs a producer id and a sequence");
        }
        if (compression > MAX_COMPRESSION_ID) {
            return invalidRecord("unknown compression type id " + compression);
        }
        if (BatchHeaders.isLogAppendTime(b, pos)) {
            return Verdict.refused(Errors.INVALID_TIMESTAMP, "producers may not set the LogAppendTime timestamp type");
        }
        int payload = BatchHeaders.size(b, pos) - BatchHeaders.HEADER_SIZE;
        if (compression == 0 && count > payload / MIN_RECORD_SIZE) {
            return invalidRecord(payload + " bytes of records cannot hold " + count + " records");
        }
        return null;
    }

    private static Verdict invalidRecord(String message) {
        return Verdict.refused(Errors.INVALID_RECORD, message);
    }

    /** Uncompressed: Kafka's record reader on the request's own bytes (keys and values are views, not copies). */
    private static void readInPlace(ByteBuffer b, int pos, RecordChecks checks) {
        int count = BatchHeaders.recordCount(b, pos);
        long baseTimestamp = BatchHeaders.baseTimestamp(b, pos);
        ByteBuffer records = b.duplicate();
        records.limit(pos + BatchHeaders.size(b, pos)).position(pos + BatchHeaders.HEADER_SIZE);
        for (int i = 0; i < count; i++) {
            Record record = DefaultRecord.readFrom(records, 0, baseTimestamp, RecordBatch.NO_SEQUENCE, null);
            checks.record(record.offset(), record.timestamp(), record.hasKey());
        }
        if (records.hasRemaining()) {
            throw new InvalidRecordException(records.remaining() + " bytes follow the batch's " + count + " records");
        }
    }

    /**
     * Compressed: the records are read as they decompress, keys, values and headers skipped. Kafka's partial reader
     * does not check a record against its declared size, so the bytes each record takes are counted here.
     */
    private static void readDecompressed(ByteBuffer b, int pos, RecordChecks checks) throws IOException {
        int count = BatchHeaders.recordCount(b, pos);
        long baseTimestamp = BatchHeaders.baseTimestamp(b, pos);
        ByteBuffer payload = b.duplicate();
        payload.limit(pos + BatchHeaders.size(b, pos)).position(pos + BatchHeaders.HEADER_SIZE);
        Compression codec = Compression.of(CompressionType.forId(BatchHeaders.compressionId(b, pos))).build();
        try (CountingInput in = new CountingInput(
                codec.wrapForInput(payload, RecordBatch.MAGIC_VALUE_V2, BUFFERS.get()), MAX_UNCOMPRESSED_BYTES)) {
            for (int i = 0; i < count; i++) {
                long start = in.count();
                PartialDefaultRecord record = DefaultRecord.readPartiallyFrom(in, 0, baseTimestamp,
                        RecordBatch.NO_SEQUENCE, null);
                long read = in.count() - start;
                if (read != record.sizeInBytes()) {
                    throw new InvalidRecordException("record declares " + record.sizeInBytes() + " bytes, its fields take "
                            + read);
                }
                checks.record(record.offset(), record.timestamp(), record.hasKey());
            }
            if (in.read() != -1) {
                throw new InvalidRecordException("more bytes follow the batch's " + count + " records");
            }
        }
    }

    /** The per-record rules, record by record, and what they found. */
    private static final class RecordChecks {

        private final Rules rules;
        private final long now;
        /** The index of the record being read. */
        int next;
        private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        private int failed;
        private boolean timestampFailed;
        private List<RecordError> errors;

        RecordChecks(Rules rules, long now) {
            this.rules = rules;
            this.now = now;
        }

        void record(long offsetDelta, long timestamp, boolean hasKey) {
            int index = next++;
            if (offsetDelta != index) {
                fail(index, "record " + index + " has offset delta " + offsetDelta, false);
            } else if (rules.keysRequired() && !hasKey) {
                fail(index, "record " + index + " has no key, which a compacted topic requires", false);
            } else if (!rules.logAppendTime() && timestamp != RecordBatch.NO_TIMESTAMP && outOfRange(timestamp)) {
                fail(index, "timestamp " + timestamp + " of record " + index + " is out of range ["
                        + saturated(now, -rules.timestampBeforeMaxMs()) + ", "
                        + saturated(now, rules.timestampAfterMaxMs()) + "]", true);
            }
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }

        private boolean outOfRange(long timestamp) {
            if (timestamp > now) {
                return timestamp - now > rules.timestampAfterMaxMs();
            }
            long behind = now - timestamp;
            // A difference past Long.MAX_VALUE is beyond any bound but "no bound".
            return behind < 0 ? rules.timestampBeforeMaxMs() != Long.MAX_VALUE : behind > rules.timestampBeforeMaxMs();
        }

        private static long saturated(long a, long b) {
            long sum = a + b;
            return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
        }

        private void fail(int index, String message, boolean timestamp) {
            failed++;
            timestampFailed |= timestamp;
            if (errors == null) {
                errors = new ArrayList<>();
            }
            if (errors.size() < MAX_RECORD_ERRORS) {
                errors.add(new RecordError(index, message));
            }
        }

        /** As Kafka: INVALID_TIMESTAMP when any record's timestamp failed, INVALID_RECORD otherwise. */
        Verdict verdict() {
            if (failed == 0) {
                return Verdict.valid(maxTimestamp);
            }
            return new Verdict(timestampFailed ? Errors.INVALID_TIMESTAMP : Errors.INVALID_RECORD,
                    failed + " of the batch's records are invalid, the first: " + errors.get(0).message(),
                    List.copyOf(errors), RecordBatch.NO_TIMESTAMP);
        }
    }

    /** Counts the bytes a decompressing stream yields, and stops it past a bound. */
    private static final class CountingInput extends InputStream {

        private final InputStream in;
        private final long limit;
        private long count;

        CountingInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            if (skipped > 0) {
                add(skipped);
            }
            return skipped;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new InvalidRecordException("the batch decompresses to more than " + limit + " bytes");
            }
        }
    }
}
