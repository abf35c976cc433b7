package io.sluice.broker.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.infinispan.AdvancedCache;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.commons.util.IntSets;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.context.Flag;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.reactive.publisher.PublisherTransformers;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jboss.logging.Logger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The replicated, persistent home of partition data: this broker's node of the brokers' Infinispan cluster. Per
 * replication factor r there are two DIST_SYNC caches with r owners, grouped by partition: {@code chunks-rf<r>}
 * (chunk bytes) and {@code index-rf<r>} (a small entry per chunk). Both persist to SoftIndexFileStores under the
 * data dir and keep at most their share of the memory budget in memory.
 */
public final class PartitionStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PartitionStore.class);
    /**
     * Every node defines and starts the caches of every replication factor up to this one when it starts, so each node
     * is a member of every cache (a cache a node has not started gives it no data) and any node can serve any of them.
     */
    public static final int MAX_REPLICATION_FACTOR = 5;
    /** The part of the memory budget that the index caches share; chunks share the rest. */
    private static final int INDEX_MEMORY_SHARE = 16;

    private final DefaultCacheManager manager;
    /** By replication factor; element 0 unused. Flagged to skip returning previous values. */
    private final AdvancedCache<byte[], byte[]>[] chunks;
    private final AdvancedCache<byte[], byte[]>[] index;

    private PartitionStore(DefaultCacheManager manager, AdvancedCache<byte[], byte[]>[] chunks,
            AdvancedCache<byte[], byte[]>[] index) {
        this.manager = manager;
        this.chunks = chunks;
        this.index = index;
    }

    /**
     * Starts this node, joins the cluster and starts every store cache (blocking). After a cluster-wide
     * {@link #shutdownCluster()}, the caches wait until every node of the previous cluster is back.
     */
    public static PartitionStore start(StoreSettings settings) {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport()
                .clusterName(settings.clusterName())
                .nodeName(settings.nodeName())
                .addProperty(JGroupsTransport.CHANNEL_CONFIGURATOR, StoreChannel.configurator(settings));
        global.globalState().enable()
                .persistentLocation(settings.dataDir().toString())
                .sharedPersistentLocation(settings.dataDir().toString());
        global.jmx().enabled(false);
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        try {
            manager.start();
            // A node that finds the cluster running has been away while it went on: whatever its stores hold may
            // since have been deleted or replaced, so it starts them empty and takes its share from the others.
            // After a cluster-wide shutdown Infinispan never purges: every node keeps its data and the caches
            // wait for all of them.
            boolean stale = manager.getMembers().size() > 1;
            long chunkMemory = settings.memoryMaxBytes() - settings.memoryMaxBytes() / INDEX_MEMORY_SHARE;
            long indexMemory = settings.memoryMaxBytes() / INDEX_MEMORY_SHARE;
            List<String> names = new ArrayList<>();
            for (int rf = 1; rf <= MAX_REPLICATION_FACTOR; rf++) {
                manager.defineConfiguration(chunksCache(rf),
                        configuration(rf, settings, chunksCache(rf), chunkMemory / MAX_REPLICATION_FACTOR, stale));
                manager.defineConfiguration(indexCache(rf),
                        configuration(rf, settings, indexCache(rf), indexMemory / MAX_REPLICATION_FACTOR, stale));
                names.add(chunksCache(rf));
                names.add(indexCache(rf));
            }
            // In parallel: after a cluster-wide shutdown each cache waits for all of its previous members.
            manager.startCaches(names.toArray(String[]::new));
        } catch (RuntimeException e) {
            manager.stop();
            throw e;
        }
        @SuppressWarnings("unchecked")
        AdvancedCache<byte[], byte[]>[] chunks = new AdvancedCache[MAX_REPLICATION_FACTOR + 1];
        @SuppressWarnings("unchecked")
        AdvancedCache<byte[], byte[]>[] index = new AdvancedCache[MAX_REPLICATION_FACTOR + 1];
        for (int rf = 1; rf <= MAX_REPLICATION_FACTOR; rf++) {
            chunks[rf] = manager.<byte[], byte[]>getCache(chunksCache(rf)).getAdvancedCache()
                    .withFlags(Flag.IGNORE_RETURN_VALUES);
            index[rf] = manager.<byte[], byte[]>getCache(indexCache(rf)).getAdvancedCache()
                    .withFlags(Flag.IGNORE_RETURN_VALUES);
        }
        LOG.infof("store node %s joined cluster %s: %s", settings.nodeName(), settings.clusterName(),
                manager.getMembers());
        return new PartitionStore(manager, chunks, index);
    }

    private static Configuration configuration(int rf, StoreSettings settings, String name, long memoryBytes,
            boolean stale) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.clustering().cacheMode(CacheMode.DIST_SYNC)
                .hash().numOwners(rf).groups().enabled().addGrouper(new PartitionGrouper());
        // Bytes in, bytes stored: no marshalling of values, and eviction can weigh entries by their size.
        b.encoding().key().mediaType(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        b.encoding().value().mediaType(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        b.memory().maxSize(Long.toString(Math.max(memoryBytes, 1 << 20)));
        b.persistence().passivation(false)
                .addSoftIndexFileStore()
                .dataLocation(settings.dataDir().resolve(name).resolve("data").toString())
                .indexLocation(settings.dataDir().resolve(name).resolve("index").toString())
                .preload(false)
                .purgeOnStartup(stale);
        return b.build();
    }

    static String chunksCache(int rf) {
        return "chunks-rf" + rf;
    }

    static String indexCache(int rf) {
        return "index-rf" + rf;
    }

    private AdvancedCache<byte[], byte[]> chunks(int rf) {
        return chunks[checked(rf)];
    }

    private AdvancedCache<byte[], byte[]> index(int rf) {
        return index[checked(rf)];
    }

    private static int checked(int rf) {
        if (rf < 1 || rf > MAX_REPLICATION_FACTOR) {
            throw new IllegalArgumentException("replication factor " + rf + " is outside 1.." + MAX_REPLICATION_FACTOR);
        }
        return rf;
    }

    /**
     * Writes a chunk and its index entry in parallel; completes once every owner holds both (in memory and in its file
     * store). The arrays are stored as given and must not change afterwards.
     */
    public CompletableFuture<Void> write(int rf, ChunkKey key, byte[] chunk, byte[] indexEntry) {
        byte[] k = key.toBytes();
        return CompletableFuture.allOf(chunks(rf).putAsync(k, chunk), index(rf).putAsync(k, indexEntry));
    }

    /** The chunk's bytes, or null if there is no such chunk. */
    public CompletableFuture<byte[]> readChunk(int rf, ChunkKey key) {
        return chunks(rf).getAsync(key.toBytes());
    }

    /** Every index entry of a partition by base offset, from memory and disk, wherever its owners are. */
    public CompletableFuture<NavigableMap<Long, byte[]>> readIndex(int rf, String topicId, int partition) {
        String group = ChunkKey.group(topicId, partition);
        NavigableMap<Long, byte[]> entries = new TreeMap<>();
        Publisher<CacheEntry<Object, Object>> source = groupSegment(index(rf), group)
                .entryPublisher(PublisherTransformers.<CacheEntry<Object, Object>> identity())
                .publisherWithoutSegments();
        return collect(source, entry -> {
            byte[] key = bytes(entry.getKey());
            if (group.equals(ChunkKey.groupOf(key))) {
                entries.put(ChunkKey.fromBytes(key).baseOffset(), bytes(entry.getValue()));
            }
        }).thenApply(done -> entries);
    }

    /** Removes a chunk and its index entry (retention). */
    public CompletableFuture<Void> delete(int rf, ChunkKey key) {
        byte[] k = key.toBytes();
        // The index entry first: a reader never finds an entry whose chunk is already gone.
        return index(rf).removeAsync(k).thenCompose(removed -> chunks(rf).removeAsync(k)).thenApply(removed -> null);
    }

    /** Removes every chunk and index entry of a partition (topic deletion). */
    public CompletableFuture<Void> deletePartition(int rf, String topicId, int partition) {
        String group = ChunkKey.group(topicId, partition);
        return removeGroup(index(rf), group).thenCompose(done -> removeGroup(chunks(rf), group));
    }

    private static CompletableFuture<Void> removeGroup(AdvancedCache<byte[], byte[]> cache, String group) {
        List<CompletableFuture<?>> removals = new ArrayList<>();
        Publisher<Object> keys = groupSegment(cache, group)
                .keyPublisher(PublisherTransformers.<Object> identity())
                .publisherWithoutSegments();
        return collect(keys, key -> {
            byte[] k = bytes(key);
            if (group.equals(ChunkKey.groupOf(k))) {
                removals.add(cache.removeAsync(k));
            }
        }).thenCompose(done -> CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)));
    }

    /** A publisher over the one segment that holds the group, so only its owners are asked and only it is read. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static org.infinispan.CachePublisher<Object, Object> groupSegment(AdvancedCache<byte[], byte[]> cache,
            String group) {
        int segment = cache.getDistributionManager().getCacheTopology().getSegment(group);
        return (org.infinispan.CachePublisher) cache.cachePublisher().withSegments(IntSets.immutableSet(segment));
    }

    private static byte[] bytes(Object keyOrValue) {
        if (keyOrValue instanceof byte[] b) {
            return b;
        }
        if (keyOrValue instanceof org.infinispan.commons.marshall.WrappedBytes w) {
            return w.getBytes();
        }
        throw new IllegalStateException("unexpected store type " + keyOrValue.getClass().getName());
    }

    /** Feeds every item of a publisher to {@code sink} (one at a time), completing when the publisher does. */
    private static <T> CompletableFuture<Void> collect(Publisher<T> publisher, Consumer<T> sink) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<T>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(T item) {
                try {
                    sink.accept(item);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        return done;
    }

    /** The current members of the store cluster, by node name, oldest first. */
    public List<String> members() {
        return manager.getMembers().stream().map(Object::toString).toList();
    }

    /** True while any store cache is still moving data between nodes. */
    public boolean rebalancing() {
        return caches().anyMatch(c -> c.getDistributionManager().isRehashInProgress());
    }

    /** Whether this node holds (or is receiving) the given partition's data. */
    public boolean isOwner(int rf, String topicId, int partition) {
        LocalizedCacheTopology topology = chunks(rf).getDistributionManager().getCacheTopology();
        return topology.isSegmentWriteOwner(topology.getSegment(ChunkKey.group(topicId, partition)));
    }

    /** The nodes that hold the given partition's data, primary owner first. */
    public List<String> owners(int rf, String topicId, int partition) {
        LocalizedCacheTopology topology = chunks(rf).getDistributionManager().getCacheTopology();
        return topology.getSegmentDistribution(topology.getSegment(ChunkKey.group(topicId, partition)))
                .writeOwners().stream().map(Object::toString).toList();
    }

    private Stream<AdvancedCache<byte[], byte[]>> caches() {
        return Stream.concat(Arrays.stream(chunks), Arrays.stream(index)).filter(Objects::nonNull);
    }

    /**
     * Stops every store cache on every node at once, each node persisting the cache topology, so that a full restart
     * finds every entry where it was left (the caches then wait until all these nodes are back). Call it on one node
     * before stopping all brokers; {@link #close()} then stops each node.
     */
    public void shutdownCluster() {
        LOG.info("store: cluster-wide shutdown of all caches");
        manager.shutdownAllCaches();
    }

    /** Leaves the cluster gracefully: the other nodes take over this node's share of every partition with rf > 1. */
    @Override
    public void close() {
        manager.stop();
    }
}
