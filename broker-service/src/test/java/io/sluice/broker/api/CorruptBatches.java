package io.sluice.broker.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Produced batches a fuzzer would send: each is damaged where a check must catch it, and its CRC recomputed over the
 * damage, so that only checks deeper than the CRC can refuse it.
 */
final class CorruptBatches {

    private static final int HEADER = 61;
    private static final int GZIP = 1;

    private CorruptBatches() {
    }

    /** {@code count} records with keys and 100-byte values, timestamps from {@code timestamp} on. */
    static SimpleRecord[] records(int count, long timestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[100];
            Arrays.fill(value, (byte) ('a' + i % 26));
            records[i] = new SimpleRecord(timestamp + i, ("key-" + i).getBytes(), value);
        }
        return records;
    }

    static ByteBuffer valid(int count) {
        return MemoryRecords.withRecords(Compression.NONE, records(count, System.currentTimeMillis())).buffer();
    }

    static ByteBuffer gzipped(SimpleRecord... records) {
        return MemoryRecords.withRecords(Compression.gzip().build(), records).buffer();
    }

    /** Makes the CRC match whatever the bytes now say. */
    static ByteBuffer withCrc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(21));
        b.putInt(17, (int) crc.getValue());
        return b;
    }

    /** The records' bytes of a batch, as they are (compressed or not). */
    static byte[] payload(ByteBuffer batch) {
        return Arrays.copyOfRange(batch.array(), HEADER, batch.limit());
    }

    /** {@code header}'s batch header over other bytes, its length, codec and CRC made to fit them. */
    static ByteBuffer withPayload(ByteBuffer header, byte[] payload, int compressionId) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.put(header.duplicate().position(0).limit(HEADER)).put(payload).flip();
        b.putInt(8, b.limit() - 12);
        b.putShort(21, (short) ((b.getShort(21) & ~0x07) | compressionId));
        return withCrc(b);
    }

    static byte[] gzip(byte[] raw) {
        ByteBufferOutputStream out = new ByteBufferOutputStream(64);
        try (OutputStream zipped = Compression.gzip().build().wrapForOutput(out, RecordBatch.MAGIC_VALUE_V2)) {
            zipped.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer bytes = out.buffer().flip();
        return Arrays.copyOfRange(bytes.array(), 0, bytes.limit());
    }

    /** A gzip batch with bytes of its compressed payload inverted: it no longer inflates to its records. */
    static ByteBuffer damagedCompressedPayload() {
        ByteBuffer b = gzipped(records(20, System.currentTimeMillis()));
        for (int i = HEADER + 12; i < b.limit() - 12; i += 7) {
            b.put(i, (byte) ~b.get(i));
        }
        return withCrc(b);
    }

    /** A gzip batch cut in the middle of its deflate stream ("Unexpected end of ZLIB input"). */
    static ByteBuffer truncatedCompressedPayload() {
        ByteBuffer whole = gzipped(records(20, System.currentTimeMillis()));
        byte[] payload = payload(whole);
        return withPayload(whole, Arrays.copyOf(payload, payload.length / 2), GZIP);
    }

    /** Header fields at their absolute positions, set to lie. */
    static ByteBuffer withCount(ByteBuffer b, int count, int lastOffsetDelta) {
        return withCrc(b.putInt(57, count).putInt(23, lastOffsetDelta));
    }

    /** The first record's size varint made endless ("Varint is too long"), uncompressed or inside gzip. */
    static ByteBuffer badVarint(boolean compressed) {
        ByteBuffer plain = valid(3);
        byte[] raw = payload(plain);
        Arrays.fill(raw, 0, 5, (byte) 0xff);
        return withPayload(plain, compressed ? gzip(raw) : raw, compressed ? GZIP : 0);
    }

    /** The batch ends inside its last record. */
    static ByteBuffer truncatedRecords() {
        ByteBuffer plain = valid(3);
        byte[] raw = payload(plain);
        return withPayload(plain, Arrays.copyOf(raw, raw.length - 30), 0);
    }

    /** Bytes follow the batch's last record. */
    static ByteBuffer trailingBytes() {
        ByteBuffer plain = valid(3);
        byte[] raw = payload(plain);
        return withPayload(plain, Arrays.copyOf(raw, raw.length + 8), 0);
    }

    /** The second record's offset delta says 5 instead of 1. */
    static ByteBuffer skippedOffsetDelta() {
        ByteBuffer b = valid(3);
        int firstBody = ByteUtils.readVarint(b.duplicate().position(HEADER));
        int second = HEADER + ByteUtils.sizeOfVarint(firstBody) + firstBody;
        int secondBody = ByteUtils.readVarint(b.duplicate().position(second));
        // After its size: attributes, the timestamp delta 1 (zigzag 2), then the offset delta 1 (zigzag 2).
        int offsetDelta = second + ByteUtils.sizeOfVarint(secondBody) + 2;
        if (b.get(offsetDelta) != 2) {
            throw new IllegalStateException("unexpected record layout");
        }
        return withCrc(b.put(offsetDelta, (byte) 10));
    }

    /** Inside gzip, a record whose size varint declares 2 GiB. */
    static ByteBuffer twoGigabyteRecord() {
        ByteBuffer plain = valid(1);
        byte[] raw = payload(plain);
        int firstSize = ByteUtils.readVarint(ByteBuffer.wrap(raw));
        ByteBuffer lying = ByteBuffer.allocate(raw.length + 5);
        ByteUtils.writeVarint(Integer.MAX_VALUE, lying);
        lying.put(raw, ByteUtils.sizeOfVarint(firstSize), raw.length - ByteUtils.sizeOfVarint(firstSize)).flip();
        return withPayload(plain, gzip(Arrays.copyOf(lying.array(), lying.limit())), GZIP);
    }

    static ByteBuffer withMagic(byte magic) {
        ByteBuffer b = valid(2);
        return withCrc(b.put(16, magic));
    }

    static ByteBuffer withAttributes(int bits) {
        ByteBuffer b = valid(2);
        return withCrc(b.putShort(21, (short) (b.getShort(21) | bits)));
    }

    static ByteBuffer twoBatches() {
        ByteBuffer first = valid(1);
        ByteBuffer second = valid(1);
        return ByteBuffer.allocate(first.limit() + second.limit()).put(first).put(second).flip();
    }
}
