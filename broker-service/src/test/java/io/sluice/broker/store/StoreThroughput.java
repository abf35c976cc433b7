package io.sluice.broker.store;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rough write throughput of a store cluster in this JVM: 256 KiB chunks, 8 writes in flight, rf=3 on 3 nodes. A
 * measurement, not a test: {@code java -cp <test class path> io.sluice.broker.store.StoreThroughput [seconds]
 * [chunk KiB] [in flight] [rf] [nodes]}.
 */
public final class StoreThroughput {

    private StoreThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int chunkBytes = (args.length > 1 ? Integer.parseInt(args[1]) : 256) * 1024;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int rf = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int nodes = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        byte[] chunk = new byte[chunkBytes];
        ThreadLocalRandom.current().nextBytes(chunk);
        byte[] entry = new byte[32];
        try (StoreCluster cluster = StoreCluster.of(nodes)) {
            PartitionStore writer = cluster.node(0);
            run(writer, rf, chunk, entry, inFlight, 3, false);
            Result r = run(writer, rf, chunk, entry, inFlight, seconds, true);
            System.out.printf("rf=%d nodes=%d chunk=%d KiB in-flight=%d: %.0f writes/s (%.0f puts/s), %.1f MB/s,"
                    + " latency p50 %.1f ms p99 %.1f ms%n", rf, nodes, chunkBytes / 1024, inFlight, r.writesPerSecond,
                    r.writesPerSecond * 2, r.writesPerSecond * chunkBytes / 1e6, r.p50Ms, r.p99Ms);
        }
        System.exit(0);
    }

    private record Result(double writesPerSecond, double p50Ms, double p99Ms) {
    }

    private static Result run(PartitionStore store, int rf, byte[] chunk, byte[] entry, int inFlight, int seconds,
            boolean measure) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong offsets = new AtomicLong();
        long[] latencies = new long[10_000_000 / 4];
        AtomicLong done = new AtomicLong();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] lanes = new CompletableFuture[inFlight];
        long start = System.nanoTime();
        for (int lane = 0; lane < inFlight; lane++) {
            lanes[lane] = new CompletableFuture<Void>();
            writeNext(store, rf, lane, chunk, entry, offsets, stop, latencies, done, lanes[lane]);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        CompletableFuture.allOf(lanes).join();
        long elapsed = System.nanoTime() - start;
        int n = (int) Math.min(done.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new Result(done.get() * 1e9 / elapsed, n == 0 ? 0 : sorted[n / 2] / 1e6,
                n == 0 ? 0 : sorted[(int) (n * 0.99)] / 1e6);
    }

    /** One lane: a partition with one write in flight at a time, as a partition leader writes. */
    private static void writeNext(PartitionStore store, int rf, int lane, byte[] chunk, byte[] entry,
            AtomicLong offsets, AtomicBoolean stop, long[] latencies, AtomicLong done, CompletableFuture<Void> end) {
        if (stop.get()) {
            end.complete(null);
            return;
        }
        long began = System.nanoTime();
        ChunkKey key = new ChunkKey("bench", lane, offsets.getAndIncrement());
        store.write(rf, new StoredChunk(key, 0), chunk, entry).whenComplete((v, e) -> {
            if (e != null) {
                end.completeExceptionally(e);
                return;
            }
            long i = done.getAndIncrement();
            if (i < latencies.length) {
                latencies[(int) i] = System.nanoTime() - began;
            }
            writeNext(store, rf, lane, chunk, entry, offsets, stop, latencies, done, end);
        });
    }
}
