package io.sluice.broker.store;

import static io.sluice.broker.store.StoreData.bytes;
import static io.sluice.broker.store.StoreData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.infinispan.AdvancedCache;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.commons.marshall.WrappedBytes;
import org.infinispan.context.Flag;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.event.CacheEntryCreatedEvent;
import org.infinispan.partitionhandling.AvailabilityException;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store's operations on a running three-node cluster. */
class PartitionStoreIT {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static StoreCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = StoreCluster.stable(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static String newTopic() {
        return "topic" + TOPICS.incrementAndGet();
    }

    @Test
    void everyNodeSeesTheWholeCluster() {
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).members()).containsExactlyInAnyOrder("node-0", "node-1", "node-2");
            assertThat(cluster.node(i).available()).isTrue();
        }
    }

    @Test
    void writtenChunkReadsBackFromEveryNodeForEachReplicationFactorAboveOne() {
        String topic = newTopic();
        for (int rf = 2; rf <= PartitionStore.MAX_REPLICATION_FACTOR; rf++) {
            ChunkKey key = new ChunkKey(topic, rf, 100);
            cluster.node(rf % 3).write(rf, new StoredChunk(key, 0), bytes("chunk rf " + rf), bytes("entry rf " + rf)).join();

            for (int i = 0; i < 3; i++) {
                assertThat(text(cluster.node(i).readChunk(rf, new StoredChunk(key, 0)).join())).isEqualTo("chunk rf " + rf);
                assertThat(cluster.node(i).readIndex(rf, topic, rf).join()).containsOnlyKeys(100L);
            }
        }
    }

    @Test
    void manySlotsAndChunksAreReadAndRemovedInOneRequestASlotOnlyIfItHoldsTheEntryAsRead() {
        String topic = newTopic();
        Map<ChunkKey, byte[]> asRead = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            ChunkKey key = new ChunkKey(topic, 0, i);
            cluster.node(0).write(3, new StoredChunk(key, 0), bytes("chunk " + i), bytes("entry " + i)).join();
            asRead.put(key, bytes(i == 7 ? "changed since" : "entry " + i));
        }
        assertThat(cluster.node(1).readIndexEntries(3, asRead.keySet()).join()).hasSize(100)
                .hasEntrySatisfying(42L, e -> assertThat(text(e)).isEqualTo("entry 42"));

        assertThat(cluster.node(1).releaseSlots(3, asRead).join()).isEqualTo(99);
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).readIndex(3, topic, 0).join()).containsOnlyKeys(7L);
        }

        cluster.node(2).removeChunks(3, asRead.keySet().stream().filter(k -> k.baseOffset() != 7)
                .map(k -> new StoredChunk(k, 0)).toList()).join();

        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).storedChunks(3, topic, 0).join()).extracting(c -> c.key().baseOffset())
                    .containsExactly(7L);
        }
    }

    @Test
    void singleReplicaChunkStaysOnTheNodeThatWroteIt() {
        String topic = newTopic();
        ChunkKey key = new ChunkKey(topic, 0, 100);
        cluster.node(1).write(1, new StoredChunk(key, 0), bytes("only on node-1"), bytes("entry")).join();

        assertThat(text(cluster.node(1).readChunk(1, new StoredChunk(key, 0)).join())).isEqualTo("only on node-1");
        assertThat(cluster.node(1).readIndex(1, topic, 0).join()).containsOnlyKeys(100L);
        assertThat(cluster.node(1).owners(1, topic, 0)).containsExactly("node-1");
        for (int i : new int[] { 0, 2 }) {
            assertThat(cluster.node(i).readChunk(1, new StoredChunk(key, 0)).join()).isNull();
            assertThat(cluster.node(i).readIndex(1, topic, 0).join()).isEmpty();
        }
    }

    @Test
    void absentChunkReadsAsNullAndAbsentPartitionHasAnEmptyIndex() {
        String topic = newTopic();

        assertThat(cluster.node(0).readChunk(3, new StoredChunk(new ChunkKey(topic, 0, 0), 0)).join()).isNull();
        assertThat(cluster.node(1).readIndex(3, topic, 0).join()).isEmpty();
    }

    @Test
    void everyEntryOfAPartitionHasTheSameOwnersInBothCaches() {
        String topic = newTopic();
        int rf = 2;
        Set<List<String>> ownerSets = new HashSet<>();
        for (int p = 0; p < 24; p++) {
            for (long offset = 0; offset < 500; offset += 50) {
                cluster.node(0).write(rf, new StoredChunk(new ChunkKey(topic, p, offset), 0), bytes("c"), bytes("i")).join();
            }
            List<String> owners = cluster.node(0).owners(rf, topic, p);
            assertThat(owners).hasSize(rf);
            ownerSets.add(List.copyOf(owners));
            for (long offset = 0; offset < 500; offset += 50) {
                ChunkKey key = new ChunkKey(topic, p, offset);
                assertOnlyOn(owners, PartitionStore.chunksCache(rf), key.toBytes(0));
                assertOnlyOn(owners, PartitionStore.indexCache(rf), key.toBytes());
            }
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.node(i).isOwner(rf, topic, p)).isEqualTo(owners.contains("node-" + i));
            }
        }
        assertThat(ownerSets).as("partitions are spread over the nodes").hasSizeGreaterThan(1);
    }

    /** Every node places the stored key on exactly these owners, and the entry is on them and nowhere else. */
    private static void assertOnlyOn(List<String> owners, String cache, byte[] key) {
        for (int i = 0; i < 3; i++) {
            AdvancedCache<Object, Object> local = cluster.node(i).manager().getCache(cache).getAdvancedCache();
            assertThat(local.getDistributionManager().getCacheTopology()
                    .getDistribution(new WrappedByteArray(key)).writeOwners())
                    .map(Object::toString).containsExactlyElementsOf(owners);
            Object here = local.withFlags(Flag.CACHE_MODE_LOCAL).get(key);
            assertThat(here != null).as("%s of %s on node-%d", text(key), cache, i)
                    .isEqualTo(owners.contains("node-" + i));
        }
    }

    @Test
    void firstLeaderToClaimAnOffsetKeepsItAndALaterOneLearnsItIsDeposed() {
        String topic = newTopic();
        ChunkKey key = new ChunkKey(topic, 0, 40);

        assertThat(cluster.node(0).write(3, new StoredChunk(key, 7), bytes("epoch 7"), bytes("entry 7")).join()).isTrue();
        assertThat(cluster.node(1).write(3, new StoredChunk(key, 6), bytes("epoch 6"), bytes("entry 6")).join()).isFalse();

        for (int i = 0; i < 3; i++) {
            assertThat(text(cluster.node(i).readIndex(3, topic, 0).join().get(40L))).isEqualTo("entry 7");
            assertThat(text(cluster.node(i).readChunk(3, new StoredChunk(key, 7)).join())).isEqualTo("epoch 7");
        }
        assertThat(cluster.node(2).write(3, new StoredChunk(key, 7), bytes("epoch 7"), bytes("entry 7")).join())
                .as("a claim that finds its own entry is its own").isTrue();
        cluster.node(2).delete(3, new StoredChunk(key, 7)).join();
        assertThat(cluster.node(0).readChunk(3, new StoredChunk(key, 7)).join()).isNull();
        assertThat(cluster.node(0).write(3, new StoredChunk(key, 8), bytes("epoch 8"), bytes("entry 8")).join())
                .as("a deleted offset is free again").isTrue();
        cluster.node(1).deletePartition(3, topic, 0).join();
        assertThat(cluster.node(0).readChunk(3, new StoredChunk(key, 6)).join()).as("the deposed leader's bytes go too")
                .isNull();
        assertThat(cluster.node(0).readChunk(3, new StoredChunk(key, 8)).join()).isNull();
    }

    @Test
    void writeWhoseChunkIsNotStoredLeavesTheIndexSlotFree() {
        String topic = newTopic();
        ChunkKey key = new ChunkKey(topic, 0, 60);
        RefusedChunks refused = new RefusedChunks(key.group());
        List<AdvancedCache<Object, Object>> chunkCaches = IntStream.range(0, 3)
                .mapToObj(i -> cluster.node(i).manager().getCache(PartitionStore.chunksCache(3)).getAdvancedCache())
                .toList();
        chunkCaches.forEach(cache -> cache.addListener(refused));
        try {
            assertThatThrownBy(
                    () -> cluster.node(0).write(3, new StoredChunk(key, 2), bytes("epoch 2"), bytes("entry 2")).join())
                    .isInstanceOf(CompletionException.class);
        } finally {
            chunkCaches.forEach(cache -> cache.removeListener(refused));
        }

        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).readIndex(3, topic, 0).join()).as("index on node-%d", i).isEmpty();
        }
        assertThat(cluster.node(1).write(3, new StoredChunk(key, 3), bytes("epoch 3"), bytes("entry 3")).join()).isTrue();
    }

    @Test
    void slotIsReleasedOnlyWhileItHoldsTheEntryRead() {
        String topic = newTopic();
        ChunkKey key = new ChunkKey(topic, 0, 80);
        assertThat(cluster.node(0).write(3, new StoredChunk(key, 4), bytes("epoch 4"), bytes("entry 4")).join()).isTrue();

        assertThat(cluster.node(1).releaseSlot(3, key, bytes("entry 3")).join()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(text(cluster.node(i).readIndex(3, topic, 0).join().get(80L))).isEqualTo("entry 4");
        }
        assertThat(cluster.node(2).releaseSlot(3, key, bytes("entry 4")).join()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).readIndex(3, topic, 0).join()).as("index on node-%d", i).isEmpty();
        }
        assertThat(cluster.node(1).write(3, new StoredChunk(key, 5), bytes("epoch 5"), bytes("entry 5")).join())
                .as("a released offset is free again").isTrue();
    }

    /** Fails every write of a chunk of one partition group, as a store that cannot take it would. */
    @Listener
    public static final class RefusedChunks {

        private final String group;

        RefusedChunks(String group) {
            this.group = group;
        }

        @CacheEntryCreated
        public void created(CacheEntryCreatedEvent<Object, Object> event) {
            Object key = event.getKey();
            byte[] stored = key instanceof byte[] b ? b : ((WrappedBytes) key).getBytes();
            if (event.isPre() && group.equals(ChunkKey.groupOf(stored))) {
                throw new IllegalStateException("chunk refused");
            }
        }
    }

    @Test
    void readIndexReturnsEveryEntryInOffsetOrderFromMemoryAndDiskOnAnyNode() {
        String topic = newTopic();
        int rf = 2;
        int entries = 1_500;
        // 1.5 MiB of index entries for one partition: more than an index cache keeps in memory, so some come from disk.
        String padding = "x".repeat(1_024);
        CompletableFuture.allOf(IntStream.range(0, entries)
                .mapToObj(
                        n -> cluster.node(n % 3).write(rf, new StoredChunk(new ChunkKey(topic, 1, n * 10L), 0), bytes("c" + n),
                                bytes(n + padding)))
                .toArray(CompletableFuture[]::new)).join();
        // Neighbours whose entries must not show up.
        cluster.node(0).write(rf, new StoredChunk(new ChunkKey(topic, 10, 0), 0), bytes("c"), bytes("other")).join();
        cluster.node(0).write(rf, new StoredChunk(new ChunkKey(topic + "x", 1, 0), 0), bytes("c"), bytes("other")).join();

        for (int i = 0; i < 3; i++) {
            NavigableMap<Long, byte[]> index = cluster.node(i).readIndex(rf, topic, 1).join();
            assertThat(index.keySet()).containsExactlyElementsOf(
                    IntStream.range(0, entries).mapToObj(n -> n * 10L).toList());
            assertThat(text(index.get(4_990L))).isEqualTo(499 + padding);
        }
    }

    /**
     * A new leader reads its index while a restarted cluster's caches are still degraded (seen in a system test): the
     * refusal comes as the failed future the leader retries on, never thrown at it. (The ERROR line Infinispan logs
     * when an owner refuses after the cluster-wide check passed needs a real restart's timing; not reproduced here.)
     */
    @Test
    void aDegradedIndexRefusesItsReadAsAFailedFutureAndServesItOnceAvailable() {
        String topic = newTopic();
        cluster.node(0).write(3, new StoredChunk(new ChunkKey(topic, 0, 0), 0), bytes("c"), bytes("entry")).join();
        AdvancedCache<Object, Object> index = cluster.node(1).manager()
                .getCache(PartitionStore.indexCache(3)).getAdvancedCache();
        // The coordinator of the cluster hands the change to every node, not at once.
        index.setAvailability(AvailabilityMode.DEGRADED_MODE);
        try {
            awaitIndexes(AvailabilityMode.DEGRADED_MODE);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(cluster.node(i).readIndex(3, topic, 0)::join)
                        .hasCauseInstanceOf(AvailabilityException.class);
            }
        } finally {
            index.setAvailability(AvailabilityMode.AVAILABLE);
            awaitIndexes(AvailabilityMode.AVAILABLE);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).readIndex(3, topic, 0).join()).containsOnlyKeys(0L);
        }
    }

    private static void awaitIndexes(AvailabilityMode mode) {
        await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 3).allMatch(i -> cluster.node(i)
                .manager().getCache(PartitionStore.indexCache(3)).getAdvancedCache().getAvailability() == mode));
    }

    @Test
    void chunksEvictedFromMemoryAreReadFromDisk() {
        String topic = newTopic();
        // 24 chunks of 1 MiB: twice what a chunks cache keeps in memory here.
        byte[] chunk = new byte[1 << 20];
        for (int n = 0; n < 24; n++) {
            chunk[0] = (byte) n;
            cluster.node(0).write(3, new StoredChunk(new ChunkKey(topic, 0, n), 0), chunk.clone(), bytes("i")).join();
        }

        for (int n = 0; n < 24; n++) {
            byte[] read = cluster.node(n % 3).readChunk(3, new StoredChunk(new ChunkKey(topic, 0, n), 0)).join();
            assertThat(read).hasSize(1 << 20);
            assertThat(read[0]).isEqualTo((byte) n);
        }
    }

    @Test
    void deleteRemovesTheChunkAndItsIndexEntry() {
        String topic = newTopic();
        for (long offset = 0; offset < 5; offset++) {
            cluster.node(0).write(2, new StoredChunk(new ChunkKey(topic, 0, offset), 0), bytes("c" + offset), bytes("i"))
                    .join();
        }

        cluster.node(1).delete(2, new StoredChunk(new ChunkKey(topic, 0, 0), 0)).join();
        cluster.node(2).delete(2, new StoredChunk(new ChunkKey(topic, 0, 1), 0)).join();

        for (int i = 0; i < 3; i++) {
            assertThat(cluster.node(i).readChunk(2, new StoredChunk(new ChunkKey(topic, 0, 0), 0)).join()).isNull();
            assertThat(cluster.node(i).readChunk(2, new StoredChunk(new ChunkKey(topic, 0, 1), 0)).join()).isNull();
            assertThat(text(cluster.node(i).readChunk(2, new StoredChunk(new ChunkKey(topic, 0, 2), 0)).join()))
                    .isEqualTo("c2");
            assertThat(cluster.node(i).readIndex(2, topic, 0).join()).containsOnlyKeys(2L, 3L, 4L);
        }
    }

    @Test
    void deletePartitionRemovesThatPartitionOnly() {
        String topic = newTopic();
        for (int p : new int[] { 1, 10, 11 }) {
            for (long offset = 0; offset < 20; offset++) {
                cluster.node(p % 3)
                        .write(3, new StoredChunk(new ChunkKey(topic, p, offset), 0), bytes(p + ":" + offset), bytes("i"))
                        .join();
            }
        }
        cluster.node(0).write(3, new StoredChunk(new ChunkKey(topic + "1", 1, 0), 0), bytes("other topic"), bytes("i")).join();

        cluster.node(2).deletePartition(3, topic, 1).join();

        for (int i = 0; i < 3; i++) {
            PartitionStore node = cluster.node(i);
            assertThat(node.readIndex(3, topic, 1).join()).isEmpty();
            assertThat(node.readChunk(3, new StoredChunk(new ChunkKey(topic, 1, 7), 0)).join()).isNull();
            assertThat(node.readIndex(3, topic, 10).join()).hasSize(20);
            assertThat(node.readIndex(3, topic, 11).join()).hasSize(20);
            assertThat(text(node.readChunk(3, new StoredChunk(new ChunkKey(topic, 10, 7), 0)).join())).isEqualTo("10:7");
            assertThat(text(node.readChunk(3, new StoredChunk(new ChunkKey(topic + "1", 1, 0), 0)).join()))
                    .isEqualTo("other topic");
        }
    }

    @Test
    void replicationFactorWithoutCachesIsRefused() {
        ChunkKey key = new ChunkKey(newTopic(), 0, 0);
        PartitionStore node = cluster.node(0);

        assertThatThrownBy(() -> node.write(0, new StoredChunk(key, 0), bytes("c"), bytes("i")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.readChunk(PartitionStore.MAX_REPLICATION_FACTOR + 1, new StoredChunk(key, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
