package io.sluice.broker.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.infinispan.AdvancedCache;
import org.infinispan.commons.marshall.WrappedBytes;
import org.infinispan.container.DataContainer;
import org.infinispan.lifecycle.ComponentStatus;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntriesEvicted;
import org.infinispan.notifications.cachelistener.event.CacheEntriesEvictedEvent;
import org.jboss.logging.Logger;

/**
 * Shares the store's memory among its caches by need, re-dividing it every few seconds.
 * <p>
 * A cluster's topics mostly share one replication factor, so a fixed even split over the five caches of a kind
 * leaves four fifths of the memory idle while the busy cache evicts what consumers are about to read. Bounds cost
 * nothing until filled, so each round a cache with room to spare gives back all but its content plus some headroom
 * (a quarter of its content, at least the floor, to grow into before the next round), and the memory left goes to
 * the caches that are full, in proportion to the bytes that came into them lately (evicted plus grown, halved each
 * round). A full cache evicts about what it takes in whatever its bound, so that measure is its write and load rate,
 * and giving memory by it keeps a similar window of recent data of every busy cache in memory; the halving keeps a
 * cache that pauses for a round from losing its memory at once. A full cache nobody writes to gives its memory to
 * busy ones, which only costs its readers trips to disk (every entry is in the file store too). Before any need is
 * known the split is even, which is also where an idle store settles. The chunk caches share the chunk budget and
 * the index caches the index budget, and no cache gets less than the floor, so the bounds of a kind add up to at
 * most its budget when that is at least five floors.
 */
final class MemoryBudget implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MemoryBudget.class);
    /** No cache gets less memory than this, whatever the budget. */
    static final long FLOOR = 1 << 20;
    /** The index caches share 1/16 of the memory budget, but at least a floor each; chunks share the rest. */
    private static final int INDEX_SHARE = 16;
    private static final long ROUND_SECONDS = 5;

    /** What a cache holds in memory, may hold, and how many bytes came into it lately. */
    record CacheUse(long bound, long used, long demand) {
    }

    /** A cache's name, the memory it may hold and what it holds now, in bytes. */
    record CacheMemory(String cache, long bound, long used) {
    }

    private final long memoryMaxBytes;
    private final List<Pool> pools;
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-memory");
        t.setDaemon(true);
        return t;
    });

    private MemoryBudget(long memoryMaxBytes, List<Pool> pools) {
        this.memoryMaxBytes = memoryMaxBytes;
        this.pools = pools;
    }

    /** The chunk caches' part of a store memory budget. */
    static long chunkBudget(long memoryMaxBytes) {
        return memoryMaxBytes - indexBudget(memoryMaxBytes);
    }

    /** The index caches' part of a store memory budget. */
    static long indexBudget(long memoryMaxBytes) {
        return Math.max(memoryMaxBytes / INDEX_SHARE, PartitionStore.MAX_REPLICATION_FACTOR * FLOOR);
    }

    /** Each cache's bound before any need is known. */
    static long evenShare(long budget, int caches) {
        return Math.max(FLOOR, budget / caches);
    }

    /**
     * Starts re-dividing {@code memoryMaxBytes} every few seconds between the given chunk caches and between the given
     * index caches (each at its {@link #evenShare} already).
     */
    static MemoryBudget start(long memoryMaxBytes, List<AdvancedCache<byte[], byte[]>> chunks,
            List<AdvancedCache<byte[], byte[]>> index) {
        MemoryBudget budget = new MemoryBudget(memoryMaxBytes, List.of(new Pool(chunkBudget(memoryMaxBytes), chunks),
                new Pool(indexBudget(memoryMaxBytes), index)));
        budget.rounds.scheduleWithFixedDelay(budget::scheduledRound, ROUND_SECONDS, ROUND_SECONDS, TimeUnit.SECONDS);
        return budget;
    }

    private void scheduledRound() {
        try {
            rebalance();
        } catch (RuntimeException e) {
            // A failed round must not end the schedule: the next one starts from the caches as they are.
            LOG.warnf(e, "store memory: could not re-divide the budget");
        }
    }

    /** One round: measures every cache and resizes those whose bound changes. */
    synchronized void rebalance() {
        pools.forEach(Pool::rebalance);
    }

    /** The memory budget the caches share. */
    long budget() {
        return memoryMaxBytes;
    }

    /** A cache's bound and content as they are now, not as of the last round. */
    CacheMemory memory(String cache) {
        return pools.stream().flatMap(pool -> pool.meters.stream()).filter(m -> m.cache.getName().equals(cache))
                .findFirst().map(Meter::memory)
                .orElseThrow(() -> new IllegalArgumentException("no store cache " + cache));
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }

    /**
     * The new bounds of caches that share {@code budget}, in their order: what a cache with room to spare does not use
     * goes to the full ones, by their demand. Deterministic and free of Infinispan, for tests.
     */
    static long[] allocate(long budget, List<CacheUse> caches) {
        int n = caches.size();
        long[] bounds = new long[n];
        boolean[] full = new boolean[n];
        long kept = 0;
        for (int i = 0; i < n; i++) {
            CacheUse cache = caches.get(i);
            long wanted = cache.used() + Math.max(cache.used() / 4, FLOOR);
            full[i] = wanted > cache.bound();
            bounds[i] = full[i] ? FLOOR : wanted;
            kept += bounds[i];
        }
        if (kept > budget) {
            // Only when the bounds given did not fit the budget (or five floors do not): start over, evenly.
            Arrays.fill(bounds, evenShare(budget, n));
            return bounds;
        }
        long spare = budget - kept;
        long demand = 0;
        int fullCount = 0;
        for (int i = 0; i < n; i++) {
            if (full[i]) {
                demand += caches.get(i).demand();
                fullCount++;
            }
        }
        for (int i = 0; i < n; i++) {
            if (demand > 0) {
                if (full[i]) {
                    bounds[i] += (long) ((double) spare * caches.get(i).demand() / demand);
                }
            } else if (fullCount > 0) {
                // Full but none took anything in lately: they keep sharing what is left, evenly.
                if (full[i]) {
                    bounds[i] += spare / fullCount;
                }
            } else {
                // Nobody is short: spread it, so that a cache can grow a while before the next round.
                bounds[i] += spare / n;
            }
        }
        return bounds;
    }

    /** Caches that share one budget. */
    private static final class Pool {

        private final long budget;
        private final List<Meter> meters;

        Pool(long budget, List<AdvancedCache<byte[], byte[]>> caches) {
            this.budget = budget;
            this.meters = caches.stream().map(Meter::new).toList();
        }

        void rebalance() {
            if (meters.stream().anyMatch(m -> m.cache.getStatus() != ComponentStatus.RUNNING)) {
                return;
            }
            List<CacheUse> uses = new ArrayList<>();
            meters.forEach(m -> uses.add(m.measure()));
            long[] bounds = allocate(budget, uses);
            // Shrink first, so that the bounds never add up to more than the budget, not even for a moment.
            for (int i = 0; i < bounds.length; i++) {
                if (bounds[i] < uses.get(i).bound()) {
                    meters.get(i).resize(bounds[i]);
                }
            }
            for (int i = 0; i < bounds.length; i++) {
                if (bounds[i] > uses.get(i).bound()) {
                    meters.get(i).resize(bounds[i]);
                }
            }
        }
    }

    /** One cache's bound, content and the bytes that came into it since the last round. */
    private static final class Meter {

        private final AdvancedCache<byte[], byte[]> cache;
        private final Evictions evictions = new Evictions();
        private long evictedBefore;
        private long usedBefore;
        private long demand;

        Meter(AdvancedCache<byte[], byte[]> cache) {
            this.cache = cache;
            cache.addListener(evictions);
        }

        private DataContainer<byte[], byte[]> container() {
            return cache.getDataContainer();
        }

        CacheUse measure() {
            long evicted = evictions.bytes.sum();
            long used = container().evictionSize();
            demand = demand / 2 + (evicted - evictedBefore) + Math.max(0, used - usedBefore);
            evictedBefore = evicted;
            usedBefore = used;
            return new CacheUse(container().capacity(), used, demand);
        }

        CacheMemory memory() {
            return new CacheMemory(cache.getName(), container().capacity(), container().evictionSize());
        }

        void resize(long bound) {
            // The configuration's listener resizes the data container, and the configuration tells the new bound.
            cache.getCacheConfiguration().memory().maxSize(Long.toString(bound));
            // What a smaller bound evicted is not demand.
            evictedBefore = evictions.bytes.sum();
            usedBefore = container().evictionSize();
        }
    }

    /** Counts the bytes a cache evicts from memory (they stay in its file store). */
    @Listener
    public static final class Evictions {

        private final LongAdder bytes = new LongAdder();

        @CacheEntriesEvicted
        public void evicted(CacheEntriesEvictedEvent<Object, Object> event) {
            event.getEntries().forEach((key, value) -> bytes.add(size(key) + size(value)));
        }

        private static long size(Object stored) {
            if (stored instanceof byte[] b) {
                return b.length;
            }
            return stored instanceof WrappedBytes w ? w.getLength() : 0;
        }
    }
}
