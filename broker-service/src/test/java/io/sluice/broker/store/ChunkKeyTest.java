package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.infinispan.commons.marshall.WrappedByteArray;
import org.junit.jupiter.api.Test;

class ChunkKeyTest {

    @Test
    void encodesAsTopicPartitionAndBaseOffset() {
        ChunkKey key = new ChunkKey("q2cFgqQnRWmA7ZHxTb1lXA", 7, 1_234_567_890_123L);

        assertThat(key.encode()).isEqualTo("q2cFgqQnRWmA7ZHxTb1lXA:7:1234567890123");
        assertThat(key.toBytes()).isEqualTo("q2cFgqQnRWmA7ZHxTb1lXA:7:1234567890123".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesWhatItEncodes() {
        ChunkKey key = new ChunkKey("topic-id_with-dashes", 12, Long.MAX_VALUE);

        assertThat(ChunkKey.decode(key.encode())).isEqualTo(key);
        assertThat(ChunkKey.fromBytes(key.toBytes())).isEqualTo(key);
        assertThat(ChunkKey.decode("t:0:0")).isEqualTo(new ChunkKey("t", 0, 0));
    }

    @Test
    void chunkBytesAreKeyedByTheLeaderEpochToo() {
        ChunkKey key = new ChunkKey("t", 3, 42);

        assertThat(key.toBytes(5)).isEqualTo("t:3:42:5".getBytes(StandardCharsets.UTF_8));
        assertThat(ChunkKey.groupOf(key.toBytes(5))).isEqualTo("t:3");
        assertThatThrownBy(() -> key.toBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkKey.fromBytes(key.toBytes(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupIsTopicAndPartitionForEveryBaseOffset() {
        ChunkKey first = new ChunkKey("t", 3, 0);
        ChunkKey later = new ChunkKey("t", 3, 98_765);

        assertThat(first.group()).isEqualTo("t:3").isEqualTo(later.group()).isEqualTo(ChunkKey.group("t", 3));
        assertThat(ChunkKey.groupOf(later.toBytes())).isEqualTo("t:3");
        assertThat(new ChunkKey("t", 30, 0).group()).isNotEqualTo(first.group());
    }

    @Test
    void grouperGroupsStoredKeysAndLeavesGroupNamesAlone() {
        PartitionGrouper grouper = new PartitionGrouper();

        assertThat(grouper.computeGroup(new WrappedByteArray(new ChunkKey("t", 3, 42).toBytes()), null))
                .isEqualTo("t:3");
        assertThat(grouper.computeGroup(new WrappedByteArray(new ChunkKey("t", 3, 42).toBytes(9)), null))
                .isEqualTo("t:3");
        // A group name is a String, which this grouper does not apply to: its segment is that of the name itself.
        assertThat(grouper.getKeyType().isAssignableFrom(String.class)).isFalse();
    }

    @Test
    void refusesTopicIdsThatWouldMakeTheKeyAmbiguous() {
        assertThatThrownBy(() -> new ChunkKey("a:b", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkKey("", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkKey("t", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkKey("t", 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesTextThatIsNotAKey() {
        assertThatThrownBy(() -> ChunkKey.decode("t:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkKey.decode("t:x:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkKey.decode(":0:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkKey.decode("nothing")).isInstanceOf(IllegalArgumentException.class);
    }
}
