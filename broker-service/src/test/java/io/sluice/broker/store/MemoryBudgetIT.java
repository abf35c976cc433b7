package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.infinispan.container.DataContainer;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The store's memory budget on a running node: one busy replication factor gets what the others do not use. */
class MemoryBudgetIT {

    private static final int CHUNK_BYTES = 256 << 10;
    private static final long EVEN_SHARE = MemoryBudget.chunkBudget(StoreCluster.MEMORY) / 5;

    @Test
    void aBusyChunkCacheGrowsBeyondAnEvenShareWithinTheBudget() {
        try (StoreCluster cluster = StoreCluster.stable(1)) {
            PartitionStore store = cluster.node(0);
            assertThat(container(store, PartitionStore.chunksCache(3)).capacity()).isEqualTo(EVEN_SHARE);

            write(store, 0, 2 * EVEN_SHARE);
            store.rebalanceMemory();

            assertThat(container(store, PartitionStore.chunksCache(3)).capacity()).isGreaterThan(2 * EVEN_SHARE);
            assertThat(IntStream.rangeClosed(1, 5).mapToLong(rf -> container(store, PartitionStore.chunksCache(rf))
                    .capacity()).sum()).isLessThanOrEqualTo(MemoryBudget.chunkBudget(StoreCluster.MEMORY));
            assertThat(IntStream.rangeClosed(1, 5).mapToLong(rf -> container(store, PartitionStore.chunksCache(rf))
                    .capacity() + container(store, PartitionStore.indexCache(rf)).capacity()).sum())
                    .isLessThanOrEqualTo(StoreCluster.MEMORY);

            write(store, 1, 2 * EVEN_SHARE);

            assertThat(container(store, PartitionStore.chunksCache(3)).evictionSize()).isGreaterThan(EVEN_SHARE);
        }
    }

    @Test
    void theGaugesReportTheBudgetAndEachCachesBoundAndContentAsTheyAreWhenScraped() {
        try (StoreCluster cluster = StoreCluster.stable(1)) {
            PartitionStore store = cluster.node(0);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            StoreGauges.register(store, registry);
            String chunksRf3 = PartitionStore.chunksCache(3);
            assertThat(bound(registry, chunksRf3)).isEqualTo(EVEN_SHARE);

            write(store, 0, 2 * EVEN_SHARE);
            store.rebalanceMemory();

            DataContainer<Object, Object> busy = container(store, chunksRf3);
            assertThat(bound(registry, chunksRf3)).isEqualTo(busy.capacity()).isGreaterThan(2 * EVEN_SHARE);
            assertThat(used(registry, chunksRf3)).isEqualTo(busy.evictionSize()).isPositive();
            for (int rf = 1; rf <= PartitionStore.MAX_REPLICATION_FACTOR; rf++) {
                for (String cache : List.of(PartitionStore.chunksCache(rf), PartitionStore.indexCache(rf))) {
                    assertThat(bound(registry, cache)).as(cache).isEqualTo(container(store, cache).capacity());
                    assertThat(used(registry, cache)).as(cache).isEqualTo(container(store, cache).evictionSize());
                }
            }
            assertThat(used(registry, PartitionStore.chunksCache(2))).isZero();
            assertThat(registry.get("sluice.store.memory.budget").gauge().value()).isEqualTo(StoreCluster.MEMORY);
            assertThat(registry.scrape()).contains("sluice_store_memory_budget_bytes ",
                    "sluice_store_memory_bound_bytes{cache=\"chunks-rf3\",}",
                    "sluice_store_memory_used_bytes{cache=\"index-local\",}");
        }
    }

    private static long bound(MeterRegistry registry, String cache) {
        return (long) registry.get("sluice.store.memory.bound").tag("cache", cache).gauge().value();
    }

    private static long used(MeterRegistry registry, String cache) {
        return (long) registry.get("sluice.store.memory.used").tag("cache", cache).gauge().value();
    }

    /** Writes {@code bytes} of chunks to one rf = 3 partition. */
    private static void write(PartitionStore store, int partition, long bytes) {
        CompletableFuture.allOf(IntStream.range(0, (int) (bytes / CHUNK_BYTES))
                .mapToObj(i -> store.write(3, new StoredChunk(new ChunkKey("busy", partition, i), 0),
                        new byte[CHUNK_BYTES], new byte[32]))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static DataContainer<Object, Object> container(PartitionStore store, String cache) {
        return store.manager().getCache(cache).getAdvancedCache().getDataContainer();
    }
}
