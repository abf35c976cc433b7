package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What tests expect the store to hold: every chunk written and not deleted, with its text, so that any node (in this
 * JVM or in another one) can be checked against it.
 */
final class StoreData {

    /** Reads one node. */
    interface Reader {
        String chunk(int rf, ChunkKey key);

        List<Long> index(int rf, String topicId, int partition);
    }

    /** Writes to one node: a chunk under leader epoch 0 and its index entry; completes once acknowledged. */
    interface Writer {
        String name();

        CompletableFuture<?> write(int rf, ChunkKey key, String chunk, String entry);
    }

    /** {@code home}: the node that holds an rf = 1 partition, which no other node has; null for other partitions. */
    private record Partition(int rf, String topicId, int partition, String home) {
    }

    private final Map<Partition, NavigableMap<Long, String>> expected = new ConcurrentHashMap<>();
    /** The highest base offset ever written to each partition: verification looks up to there. */
    private final Map<Partition, Long> highest = new ConcurrentHashMap<>();
    /**
     * Writes that failed without saying whether they reached every owner (in flight when a node was cut off): each
     * may be in the store or not, but every node must agree.
     */
    private final Map<Partition, NavigableMap<Long, String>> uncertain = new ConcurrentHashMap<>();

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of stored bytes, or null for none. */
    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static Reader reader(PartitionStore node) {
        return new Reader() {
            @Override
            public String chunk(int rf, ChunkKey key) {
                return text(node.readChunk(rf, new StoredChunk(key, 0)).join());
            }

            @Override
            public List<Long> index(int rf, String topicId, int partition) {
                return List.copyOf(node.readIndex(rf, topicId, partition).join().keySet());
            }
        };
    }

    static Writer writer(PartitionStore node) {
        return new Writer() {
            @Override
            public String name() {
                return node.name();
            }

            @Override
            public CompletableFuture<?> write(int rf, ChunkKey key, String chunk, String entry) {
                return node.write(rf, new StoredChunk(key, 0), bytes(chunk), bytes(entry));
            }
        };
    }

    /** Writes {@code chunks} chunks (base offsets {@code from}, {@code from + 1}…) to each partition, all at once. */
    void write(PartitionStore node, int rf, String topicId, int partitions, long from, int chunks, String version) {
        write(writer(node), rf, topicId, partitions, from, chunks, version);
    }

    void write(Writer node, int rf, String topicId, int partitions, long from, int chunks, String version) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (long offset = from; offset < from + chunks; offset++) {
                writes.add(write(node, rf, new ChunkKey(topicId, p, offset), version));
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }

    /** Writes one chunk and expects it once the write is acknowledged. */
    CompletableFuture<Void> write(PartitionStore node, int rf, ChunkKey key, String version) {
        return write(writer(node), rf, key, version);
    }

    CompletableFuture<Void> write(Writer node, int rf, ChunkKey key, String version) {
        String value = version + "@" + key.encode();
        Partition partition = partition(node.name(), rf, key);
        highest.merge(partition, key.baseOffset(), Math::max);
        return node.write(rf, key, value, "entry-" + value)
                .thenRun(() -> expected(partition).put(key.baseOffset(), value));
    }

    /** A write that failed in a way that does not tell whether it reached every owner: it may be stored or not. */
    void uncertain(Writer node, int rf, ChunkKey key, String version) {
        uncertain.computeIfAbsent(partition(node.name(), rf, key), p -> new ConcurrentSkipListMap<>())
                .put(key.baseOffset(), version + "@" + key.encode());
    }

    void delete(PartitionStore node, int rf, ChunkKey key) {
        node.delete(rf, new StoredChunk(key, 0)).join();
        expected(partition(node.name(), rf, key)).remove(key.baseOffset());
    }

    void deletePartition(PartitionStore node, int rf, String topicId, int partition) {
        node.deletePartition(rf, topicId, partition).join();
        expected(partition(node.name(), rf, new ChunkKey(topicId, partition, 0))).clear();
    }

    private static Partition partition(String node, int rf, ChunkKey key) {
        return new Partition(rf, key.topicId(), key.partition(), rf == 1 ? node : null);
    }

    private NavigableMap<Long, String> expected(Partition partition) {
        return expected.computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>());
    }

    /** The number of chunks expected. */
    int chunks() {
        return expected.values().stream().mapToInt(Map::size).sum();
    }

    /** Checks every node of the cluster (all of them running in this JVM). */
    void verifyEveryNode(StoreCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            verify(cluster, i);
        }
    }

    /** Checks node {@code i} of the cluster, running in this JVM. */
    void verify(StoreCluster cluster, int i) {
        verify(reader(cluster.node(i)), StoreCluster.nodeName(i));
    }

    /**
     * Checks that the node holds exactly what is expected of every partition written to: an index with exactly the
     * expected base offsets, each chunk with its latest text, and no deleted chunk; nothing of another node's rf = 1
     * partitions.
     */
    void verify(Reader node, String nodeName) {
        highest.forEach((p, last) -> {
            NavigableMap<Long, String> written = expected.getOrDefault(p, new ConcurrentSkipListMap<>());
            NavigableMap<Long, String> chunks = p.home() == null || p.home().equals(nodeName) ? written
                    : new ConcurrentSkipListMap<>();
            NavigableMap<Long, String> unknown = uncertain.getOrDefault(p, new ConcurrentSkipListMap<>());
            assertThat(node.index(p.rf(), p.topicId(), p.partition()).stream()
                    .filter(offset -> !unknown.containsKey(offset)))
                    .as("index of %s on %s", p, nodeName).containsExactlyElementsOf(chunks.keySet());
            for (long offset = 0; offset <= last + 1; offset++) {
                if (!unknown.containsKey(offset)) {
                    assertThat(node.chunk(p.rf(), new ChunkKey(p.topicId(), p.partition(), offset)))
                            .as("chunk %d of %s on %s", offset, p, nodeName).isEqualTo(chunks.get(offset));
                }
            }
        });
    }

    /**
     * Checks that the nodes agree on every {@link #uncertain} write: each either holds it (its index entry and its
     * chunk, with its text) or none of them has its index entry.
     */
    void verifyUncertain(Map<String, Reader> nodes) {
        uncertain.forEach((p, writes) -> writes.forEach((offset, value) -> {
            ChunkKey key = new ChunkKey(p.topicId(), p.partition(), offset);
            Map<String, Boolean> indexed = new TreeMap<>();
            nodes.forEach((name, node) -> {
                boolean has = node.index(p.rf(), p.topicId(), p.partition()).contains(offset);
                indexed.put(name, has);
                if (has) {
                    assertThat(node.chunk(p.rf(), key)).as("chunk %d of %s on %s", offset, p, name).isEqualTo(value);
                }
            });
            assertThat(indexed.values().stream().distinct())
                    .as("index entry %d of %s, by node: %s", offset, p, indexed).hasSize(1);
        }));
    }
}
