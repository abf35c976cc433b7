package io.sluice.coordinator.controller;

/**
 * Producer ids, handed out one at a time from blocks reserved in the store: not every InitProducerId writes, and a
 * coordinator that takes over starts after the last block reserved, so no id is ever handed out twice.
 */
final class ProducerIds {

    private static final long BLOCK = 1000;

    private final MetadataStore store;
    private long next;
    private long limit;

    ProducerIds(MetadataStore store) {
        this.store = store;
        this.limit = store.producerIdLimit();
        this.next = limit;
    }

    long next() {
        if (next >= limit) {
            limit = next + BLOCK;
            store.saveProducerIdLimit(limit);
        }
        return next++;
    }
}
