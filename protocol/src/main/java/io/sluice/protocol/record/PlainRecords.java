package io.sluice.protocol.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * {@link PlainRecord}s in and out of record batches, through Kafka's record classes: what the gateway's HTTP API
 * produces and reads.
 */
public final class PlainRecords {

    private PlainRecords() {
    }

    /**
     * One uncompressed magic-2 batch of {@code records}, as a non-idempotent Java producer would send it; a record
     * without a timestamp gets {@code now}.
     */
    public static ByteBuffer batch(List<PlainRecord> records, long now) {
        SimpleRecord[] simple = new SimpleRecord[records.size()];
        for (int i = 0; i < simple.length; i++) {
            PlainRecord r = records.get(i);
            Header[] headers = r.headers().stream()
                    .map(h -> new RecordHeader(h.key(), h.value()))
                    .toArray(Header[]::new);
            simple[i] = new SimpleRecord(r.timestamp() < 0 ? now : r.timestamp(), r.key(), r.value(), headers);
        }
        return MemoryRecords.withRecords(0L, Compression.NONE, simple).buffer();
    }

    /** Records read from a partition, and the offset to read from next. */
    public record Read(List<PlainRecord> records, long nextOffset) {

        /** The records' bytes as a client sees them ({@link PlainRecord#payloadSize}), together. */
        public long payloadSize() {
            return records.stream().mapToLong(PlainRecord::payloadSize).sum();
        }
    }

    /**
     * The data records of {@code batches} (whole batches, as a Fetch answer carries them) from {@code fromOffset} on:
     * at most {@code maxRecords}, and no more once {@code maxBytes} of payload are taken (one record at least).
     * Control batches are skipped; the next offset passes over them and over records before {@code fromOffset}.
     */
    public static Read read(ByteBuffer batches, long fromOffset, int maxRecords, int maxBytes) {
        List<PlainRecord> records = new ArrayList<>();
        long next = fromOffset;
        int bytes = 0;
        for (RecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            if (batch.lastOffset() < next) {
                continue;
            }
            if (batch.isControlBatch()) {
                next = batch.lastOffset() + 1;
                continue;
            }
            boolean logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
            for (Record record : batch) {
                if (record.offset() < next) {
                    continue;
                }
                PlainRecord plain = plain(record, logAppendTime ? batch.maxTimestamp() : record.timestamp());
                if (records.size() == maxRecords
                        || (!records.isEmpty() && bytes + plain.payloadSize() > maxBytes)) {
                    return new Read(records, next);
                }
                records.add(plain);
                bytes += plain.payloadSize();
                next = record.offset() + 1;
            }
            // A batch's last offsets may belong to records compacted away.
            next = Math.max(next, batch.lastOffset() + 1);
        }
        return new Read(records, next);
    }

    private static PlainRecord plain(Record record, long timestamp) {
        List<PlainRecord.Header> headers = new ArrayList<>(record.headers().length);
        for (Header h : record.headers()) {
            headers.add(new PlainRecord.Header(h.key(), h.value()));
        }
        return new PlainRecord(record.offset(), timestamp, bytes(record.key()), bytes(record.value()),
                List.copyOf(headers));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return buffer == null ? null : Utils.toArray(buffer);
    }

    /** The partition Kafka's default partitioner gives a key (murmur2 of its bytes), so every client agrees. */
    public static int partitionForKey(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
