package io.sluice.broker.store;

import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.distribution.group.Grouper;

/**
 * Puts every chunk and index entry of a partition in one group, {@code topicId:partition}, owned by the same nodes.
 * Keys are stored as bytes, so this sees {@link WrappedByteArray}s. A group name itself (a String, as given to
 * {@code getGroup} or a segment look-up) keeps its group: grouping it again would hash a different string.
 */
final class PartitionGrouper implements Grouper<WrappedByteArray> {

    @Override
    public Object computeGroup(WrappedByteArray key, Object group) {
        return ChunkKey.groupOf(key.getBytes());
    }

    @Override
    public Class<WrappedByteArray> getKeyType() {
        return WrappedByteArray.class;
    }
}
