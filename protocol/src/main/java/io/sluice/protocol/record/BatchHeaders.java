package io.sluice.protocol.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * Reads and stamps the header of magic-2 record batches in place, without decompressing or copying them. Positions
 * are absolute indexes into the buffer; a batch occupies {@link #size} bytes from its position.
 */
public final class BatchHeaders {

    public static final int HEADER_SIZE = 61;
    private static final int BASE_OFFSET = 0;
    private static final int LENGTH = 8;
    private static final int LEADER_EPOCH = 12;
    private static final int MAGIC = 16;
    private static final int CRC = 17;
    private static final int ATTRIBUTES = 21;
    private static final int LAST_OFFSET_DELTA = 23;
    private static final int BASE_TIMESTAMP = 27;
    private static final int MAX_TIMESTAMP = 35;
    private static final int PRODUCER_ID = 43;
    private static final int PRODUCER_EPOCH = 51;
    private static final int BASE_SEQUENCE = 53;
    private static final int RECORD_COUNT = 57;
    private static final short COMPRESSION = 0x07;
    private static final short TIMESTAMP_TYPE_LOG_APPEND = 0x08;
    private static final short TRANSACTIONAL = 0x10;
    private static final short CONTROL = 0x20;

    private BatchHeaders() {
    }

    /** Size in bytes of the batch at {@code pos}, header included. */
    public static int size(ByteBuffer b, int pos) {
        return LEADER_EPOCH + b.getInt(pos + LENGTH);
    }

    public static long baseOffset(ByteBuffer b, int pos) {
        return b.getLong(pos + BASE_OFFSET);
    }

    public static long lastOffset(ByteBuffer b, int pos) {
        return baseOffset(b, pos) + lastOffsetDelta(b, pos);
    }

    public static int lastOffsetDelta(ByteBuffer b, int pos) {
        return b.getInt(pos + LAST_OFFSET_DELTA);
    }

    public static int leaderEpoch(ByteBuffer b, int pos) {
        return b.getInt(pos + LEADER_EPOCH);
    }

    public static long baseTimestamp(ByteBuffer b, int pos) {
        return b.getLong(pos + BASE_TIMESTAMP);
    }

    public static long maxTimestamp(ByteBuffer b, int pos) {
        return b.getLong(pos + MAX_TIMESTAMP);
    }

    public static long producerId(ByteBuffer b, int pos) {
        return b.getLong(pos + PRODUCER_ID);
    }

    public static short producerEpoch(ByteBuffer b, int pos) {
        return b.getShort(pos + PRODUCER_EPOCH);
    }

    public static int baseSequence(ByteBuffer b, int pos) {
        return b.getInt(pos + BASE_SEQUENCE);
    }

    /** Last sequence of the batch, wrapping at Integer.MAX_VALUE as Kafka does. */
    public static int lastSequence(ByteBuffer b, int pos) {
        int base = baseSequence(b, pos);
        if (base < 0) {
            return base;
        }
        long last = (long) base + lastOffsetDelta(b, pos);
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public static int recordCount(ByteBuffer b, int pos) {
        return b.getInt(pos + RECORD_COUNT);
    }

    /** The compression codec id of the batch's records (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd; others unknown). */
    public static int compressionId(ByteBuffer b, int pos) {
        return b.getShort(pos + ATTRIBUTES) & COMPRESSION;
    }

    public static boolean isLogAppendTime(ByteBuffer b, int pos) {
        return (b.getShort(pos + ATTRIBUTES) & TIMESTAMP_TYPE_LOG_APPEND) != 0;
    }

    public static boolean isTransactional(ByteBuffer b, int pos) {
        return (b.getShort(pos + ATTRIBUTES) & TRANSACTIONAL) != 0;
    }

    public static boolean isControl(ByteBuffer b, int pos) {
        return (b.getShort(pos + ATTRIBUTES) & CONTROL) != 0;
    }

    /** Writes the offset of the batch's first record; the CRC does not cover it. */
    public static void setBaseOffset(ByteBuffer b, int pos, long baseOffset) {
        b.putLong(pos + BASE_OFFSET, baseOffset);
    }

    /** Writes the leader epoch the batch was appended under; the CRC does not cover it. */
    public static void setLeaderEpoch(ByteBuffer b, int pos, int epoch) {
        b.putInt(pos + LEADER_EPOCH, epoch);
    }

    /** Marks the batch as log-append-time stamped with {@code timestamp}, recomputing the CRC it changes. */
    public static void setLogAppendTime(ByteBuffer b, int pos, long timestamp) {
        b.putLong(pos + MAX_TIMESTAMP, timestamp);
        b.putShort(pos + ATTRIBUTES, (short) (b.getShort(pos + ATTRIBUTES) | TIMESTAMP_TYPE_LOG_APPEND));
        b.putInt(pos + CRC, (int) crc(b, pos));
    }

    /**
     * Writes the largest timestamp of the batch's records, recomputing the CRC it changes. Kafka does the same when a
     * producer's batch header disagrees with its records.
     */
    public static void setMaxTimestamp(ByteBuffer b, int pos, long timestamp) {
        b.putLong(pos + MAX_TIMESTAMP, timestamp);
        b.putInt(pos + CRC, (int) crc(b, pos));
    }

    /**
     * Checks that {@code [pos, end)} holds whole magic-2 batches with valid sizes and CRCs and returns how many there
     * are, as Kafka checks a produce request's records: {@link CorruptRecordException} (CORRUPT_MESSAGE) for a batch
     * cut short, a size that does not fit, an unknown magic or a CRC mismatch; {@link InvalidRecordException}
     * (INVALID_RECORD) for magic 0 or 1, which Produce v3+ may not carry. Nothing inside the batch is read here
     * ({@link BatchValidator} does that).
     */
    public static int validate(ByteBuffer b, int pos, int end) {
        int count = 0;
        while (pos < end) {
            if (end - pos > MAGIC) {
                byte magic = b.get(pos + MAGIC);
                if (magic == 0 || magic == 1) {
                    throw new InvalidRecordException("record batches must have magic 2, not " + magic);
                }
                if (magic != 2) {
                    throw new CorruptRecordException("invalid record batch magic " + magic);
                }
            }
            if (end - pos < HEADER_SIZE) {
                throw new CorruptRecordException("truncated record batch header: " + (end - pos) + " bytes");
            }
            int size = size(b, pos);
            if (size < HEADER_SIZE || size > end - pos) {
                throw new CorruptRecordException("record batch size " + size + " does not fit the request");
            }
            long stored = Integer.toUnsignedLong(b.getInt(pos + CRC));
            if (stored != crc(b, pos)) {
                throw new CorruptRecordException("record batch CRC mismatch");
            }
            pos += size;
            count++;
        }
        return count;
    }

    private static long crc(ByteBuffer b, int pos) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = b.duplicate();
        covered.limit(pos + size(b, pos)).position(pos + ATTRIBUTES);
        crc.update(covered);
        return crc.getValue();
    }
}
