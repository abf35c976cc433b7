package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PlainRecordsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Batches of {@code records} records each, at consecutive offsets from 0, with a marker batch in between. */
    private static ByteBuffer log(int batches, int records) {
        List<ByteBuffer> parts = new ArrayList<>();
        long offset = 0;
        for (int b = 0; b < batches; b++) {
            List<PlainRecord> plain = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                plain.add(PlainRecord.toProduce(-1, utf8("k" + offset), utf8("v" + offset),
                        List.of(new PlainRecord.Header("h", utf8("x" + offset)))));
                offset++;
            }
            ByteBuffer batch = PlainRecords.batch(plain, 1_000 + b);
            BatchHeaders.setBaseOffset(batch, 0, offset - records);
            parts.add(batch);
            ByteBuffer marker = BatchRecords.endTransactionMarker(5, (short) 0, 0, true, 7);
            BatchHeaders.setBaseOffset(marker, 0, offset++);
            parts.add(marker);
        }
        ByteBuffer all = ByteBuffer.allocate(parts.stream().mapToInt(ByteBuffer::remaining).sum());
        parts.forEach(all::put);
        return all.flip();
    }

    @Test
    void producedRecordsReadBackWithKeysValuesHeadersAndTimestamps() {
        ByteBuffer batch = PlainRecords.batch(List.of(
                PlainRecord.toProduce(42, utf8("a"), utf8("1"), List.of(new PlainRecord.Header("h", utf8("x")))),
                PlainRecord.toProduce(-1, null, null, List.of())), 99);

        PlainRecords.Read read = PlainRecords.read(batch, 0, 10, 1_000);

        assertThat(read.records()).hasSize(2);
        PlainRecord first = read.records().get(0);
        assertThat(first.offset()).isZero();
        assertThat(first.timestamp()).isEqualTo(42);
        assertThat(first.key()).isEqualTo(utf8("a"));
        assertThat(first.value()).isEqualTo(utf8("1"));
        assertThat(first.headers()).singleElement().satisfies(h -> {
            assertThat(h.key()).isEqualTo("h");
            assertThat(h.value()).isEqualTo(utf8("x"));
        });
        PlainRecord second = read.records().get(1);
        assertThat(second.timestamp()).isEqualTo(99);
        assertThat(second.key()).isNull();
        assertThat(second.value()).isNull();
        assertThat(read.nextOffset()).isEqualTo(2);
    }

    @Test
    void readingStartsAtTheOffsetSkipsMarkersAndStopsAtTheCount() {
        ByteBuffer log = log(3, 4); // data at 0-3, 5-8, 10-13; markers at 4, 9, 14

        PlainRecords.Read read = PlainRecords.read(log, 2, 5, Integer.MAX_VALUE);

        assertThat(read.records()).extracting(PlainRecord::offset).containsExactly(2L, 3L, 5L, 6L, 7L);
        assertThat(read.nextOffset()).isEqualTo(8);
        PlainRecords.Read rest = PlainRecords.read(log, read.nextOffset(), 100, Integer.MAX_VALUE);
        assertThat(rest.records()).extracting(PlainRecord::offset).containsExactly(8L, 10L, 11L, 12L, 13L);
        assertThat(rest.nextOffset()).as("past the last marker").isEqualTo(15);
    }

    @Test
    void maxBytesStopsReadingButOneRecordAlwaysComes() {
        ByteBuffer log = log(1, 4); // each record: key "kN" + value "vN" + header "h"/"xN" = 7 bytes

        assertThat(PlainRecords.read(log, 0, 100, 1).records()).hasSize(1);
        assertThat(PlainRecords.read(log, 0, 100, 14).records()).hasSize(2);
        assertThat(PlainRecords.read(log, 0, 100, 14).nextOffset()).isEqualTo(2);
    }

    @Test
    void keysLandWhereTheJavaProducersDefaultPartitionerPutsThem() {
        for (int i = 0; i < 1_000; i++) {
            byte[] key = utf8("key-" + i);
            for (int partitions : new int[] { 1, 3, 7, 12 }) {
                assertThat(PlainRecords.partitionForKey(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }
}
