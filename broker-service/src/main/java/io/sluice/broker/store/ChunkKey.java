package io.sluice.broker.store;

import java.nio.charset.StandardCharsets;

/**
 * Identifies one chunk of a partition: consecutive record batches starting at {@code baseOffset}. In the store its
 * index entry is under the UTF-8 text {@code topicId:partition:baseOffset}, its bytes under
 * {@code topicId:partition:baseOffset:leaderEpoch}, and {@code topicId:partition} is the group of both.
 */
public record ChunkKey(String topicId, int partition, long baseOffset) {

    public ChunkKey {
        if (topicId == null || topicId.isEmpty() || topicId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("topic id must be non-empty and free of ':', got '" + topicId + "'");
        }
        if (partition < 0 || baseOffset < 0) {
            throw new IllegalArgumentException("negative partition or base offset: " + partition + ", " + baseOffset);
        }
    }

    /** The key as text, {@code topicId:partition:baseOffset}. */
    public String encode() {
        return group() + ":" + baseOffset;
    }

    /** Parses {@link #encode()}'s text. */
    public static ChunkKey decode(String key) {
        int last = key.lastIndexOf(':');
        int middle = last > 0 ? key.lastIndexOf(':', last - 1) : -1;
        if (middle <= 0) {
            throw new IllegalArgumentException("not a chunk key: '" + key + "'");
        }
        try {
            return new ChunkKey(key.substring(0, middle), Integer.parseInt(key.substring(middle + 1, last)),
                    Long.parseLong(key.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a chunk key: '" + key + "'", e);
        }
    }

    /** The store key: the UTF-8 bytes of {@link #encode()}. */
    public byte[] toBytes() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a store key. */
    public static ChunkKey fromBytes(byte[] key) {
        return decode(new String(key, StandardCharsets.UTF_8));
    }

    /**
     * The key of this chunk's bytes as written by the leader of the given epoch: a deposed leader that still writes
     * never overwrites what the current one wrote at the same offset.
     */
    byte[] toBytes(int leaderEpoch) {
        if (leaderEpoch < 0) {
            throw new IllegalArgumentException("negative leader epoch " + leaderEpoch);
        }
        return (encode() + ":" + leaderEpoch).getBytes(StandardCharsets.UTF_8);
    }

    /** The group of this chunk: every entry of a partition is in it, so all of them have the same owners. */
    public String group() {
        return group(topicId, partition);
    }

    /** The group of a partition, {@code topicId:partition}. */
    public static String group(String topicId, int partition) {
        return topicId + ":" + partition;
    }

    /**
     * The index cache's key of a partition's recorded log start offset, {@code topicId:partition:start}: in the
     * partition's group, and never a chunk's key.
     */
    public static byte[] logStartKey(String topicId, int partition) {
        return (group(topicId, partition) + ":start").getBytes(StandardCharsets.UTF_8);
    }

    /** The group of a store key (an index or a chunk key): the text up to its second ':'. */
    static String groupOf(byte[] key) {
        boolean first = true;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == ':') {
                if (!first) {
                    return new String(key, 0, i, StandardCharsets.UTF_8);
                }
                first = false;
            }
        }
        throw new IllegalArgumentException("not a chunk key: '" + new String(key, StandardCharsets.UTF_8) + "'");
    }
}
