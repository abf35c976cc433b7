package io.sluice.broker.store;

/** Identifies one chunk of a partition: consecutive record batches starting at {@code baseOffset}. */
public record ChunkKey(String topicId, int partition, long baseOffset) {

    /** The store key, {@code topicId:partition:baseOffset}; topic ids never contain ':'. */
    public String encode() {
        return group(topicId, partition) + ":" + baseOffset;
    }

    public static ChunkKey decode(String key) {
        int last = key.lastIndexOf(':');
        int middle = key.lastIndexOf(':', last - 1);
        return new ChunkKey(key.substring(0, middle), Integer.parseInt(key.substring(middle + 1, last)),
                Long.parseLong(key.substring(last + 1)));
    }

    /** The group every entry of a partition belongs to, so that they all have the same owners. */
    public static String group(String topicId, int partition) {
        return topicId + ":" + partition;
    }

    /** The group of an encoded key. */
    static String groupOf(String key) {
        return key.substring(0, key.lastIndexOf(':'));
    }
}
