package io.sluice.protocol.record;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * What checking a produced batch costs per record, next to the CRC check every batch already had: batches of 100
 * records with 100-byte values (text-like, so they compress about 2:1), uncompressed and with each codec. A measurement
 * to run by hand, not a test: {@code java -cp <protocol classes, test classes, kafka-clients and codecs>
 * io.sluice.protocol.record.BatchValidatorCost [rounds]}.
 */
public final class BatchValidatorCost {

    private static final int RECORDS = 100;
    private static final int VALUE_BYTES = 100;

    private BatchValidatorCost() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.printf("%-7s %6s %6s  %-22s %-22s%n", "codec", "bytes", "ratio", "CRC ns/record",
                "records ns/record");
        System.out.printf("%-7s %6s %6s  %-22s %-22s%n", "", "", "", "(best, median)", "(best, median)");
        for (String codec : new String[] { "none", "gzip", "snappy", "lz4", "zstd" }) {
            ByteBuffer batch = batch(Compression.of(codec).build());
            long now = System.currentTimeMillis();
            BatchValidator.Rules rules = BatchValidator.Rules.KAFKA_DEFAULTS;
            IntSupplier crc = () -> BatchHeaders.validate(batch, 0, batch.limit());
            IntSupplier records = () -> BatchValidator.validate(batch, 0, rules, now).isValid() ? 1 : 0;
            measure(rounds, crc);
            measure(rounds, records);
            double[] crcCost = measure(rounds, crc);
            double[] recordsCost = measure(rounds, records);
            System.out.printf("%-7s %6d %6.2f  %8.1f %8.1f      %8.1f %8.1f%n", codec, batch.limit(),
                    (double) RECORDS * (VALUE_BYTES + 6) / batch.limit(), crcCost[0] / RECORDS, crcCost[1] / RECORDS,
                    recordsCost[0] / RECORDS, recordsCost[1] / RECORDS);
        }
    }

    private static ByteBuffer batch(Compression compression) {
        Random random = new Random(42);
        SimpleRecord[] records = new SimpleRecord[RECORDS];
        long now = System.currentTimeMillis();
        for (int i = 0; i < RECORDS; i++) {
            byte[] value = new byte[VALUE_BYTES];
            for (int j = 0; j < value.length; j++) {
                value[j] = (byte) ('a' + random.nextInt(16));
            }
            records[i] = new SimpleRecord(now + i, ("key-" + (i % 1000)).getBytes(), value);
        }
        return MemoryRecords.withRecords(compression, records).buffer();
    }

    /**
     * Nanoseconds per call of {@code check}: the best and the median of {@code rounds} rounds of 200 calls. On a shared
     * machine the best round is the cost; the median shows how much others took.
     */
    private static double[] measure(int rounds, IntSupplier check) {
        double[] perCall = new double[rounds];
        long passed = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                passed += check.getAsInt();
            }
            perCall[round] = (System.nanoTime() - start) / 200.0;
        }
        if (passed != rounds * 200L) {
            throw new IllegalStateException("a batch did not pass");
        }
        Arrays.sort(perCall);
        return new double[] { perCall[0], perCall[rounds / 2] };
    }
}
