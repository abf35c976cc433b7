package io.sluice.broker.store;

import org.infinispan.distribution.group.Grouper;

/** Puts every chunk and index entry of a partition in one group, owned by the same nodes. */
final class PartitionGrouper implements Grouper<String> {

    @Override
    public Object computeGroup(String key, Object group) {
        return ChunkKey.groupOf(key);
    }

    @Override
    public Class<String> getKeyType() {
        return String.class;
    }
}
