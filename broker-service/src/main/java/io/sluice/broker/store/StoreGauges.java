package io.sluice.broker.store;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;

/** Gauges of the store's memory: its budget, and each cache's bound and content as {@link MemoryBudget} divides it. */
public final class StoreGauges {

    private StoreGauges() {
    }

    /**
     * Registers {@code sluice_store_memory_budget_bytes}, and {@code sluice_store_memory_bound_bytes} and
     * {@code sluice_store_memory_used_bytes} by {@code cache}; they read the store when scraped.
     */
    public static void register(PartitionStore store, MeterRegistry registry) {
        Gauge.builder("sluice.store.memory.budget", store::memoryBudget).baseUnit(BaseUnits.BYTES)
                .description("The memory the store's caches share").register(registry);
        for (String cache : caches()) {
            Gauge.builder("sluice.store.memory.bound", () -> store.memory(cache).bound()).baseUnit(BaseUnits.BYTES)
                    .tag("cache", cache).description("The memory a store cache may hold, its share of the budget now")
                    .register(registry);
            Gauge.builder("sluice.store.memory.used", () -> store.memory(cache).used()).baseUnit(BaseUnits.BYTES)
                    .tag("cache", cache).description("The memory a store cache holds (its entries are on disk too)")
                    .register(registry);
        }
    }

    /** The store's caches, chunk caches first. */
    private static List<String> caches() {
        return Stream.concat(IntStream.rangeClosed(1, PartitionStore.MAX_REPLICATION_FACTOR)
                .mapToObj(PartitionStore::chunksCache),
                IntStream.rangeClosed(1, PartitionStore.MAX_REPLICATION_FACTOR).mapToObj(PartitionStore::indexCache))
                .toList();
    }
}
