package io.sluice.broker.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.context.Flag;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jboss.logging.Logger;

import io.sluice.protocol.membership.JGroupsStack;

/**
 * The replicated, persistent home of partition data: this broker's node of the brokers' Infinispan cluster. Per
 * replication factor r there are two DIST_SYNC caches with r owners, grouped by partition: {@code chunks-rf<r>}
 * (chunk bytes) and {@code index-rf<r>} (a small entry per chunk). Both persist to SoftIndexFileStores.
 */
public final class PartitionStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PartitionStore.class);
    /** Replication factors whose caches every node defines up front, so any node can serve any of them. */
    static final int MAX_REPLICATION_FACTOR = 5;
    /** Rough chunk size used to turn the memory budget into an entry count. */
    private static final long TYPICAL_CHUNK_BYTES = 64 * 1024;

    private final DefaultCacheManager manager;
    private final Map<String, AdvancedCache<String, byte[]>> caches = new ConcurrentHashMap<>();
    /** Group reads are blocking Infinispan calls; they run here, never on an event loop. */
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "store-blocking");
        t.setDaemon(true);
        return t;
    });

    private PartitionStore(DefaultCacheManager manager) {
        this.manager = manager;
    }

    /** Starts this node and joins the cluster (blocking). */
    public static PartitionStore start(StoreSettings settings) {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport()
                .clusterName(settings.clusterName())
                .nodeName(settings.nodeName())
                .transport(new JGroupsTransport(JGroupsStack.channel(settings.bindAddress(), settings.bindPort(),
                        settings.initialHosts(), settings.dnsQuery())));
        global.globalState().enable()
                .persistentLocation(settings.dataDir().toString())
                .sharedPersistentLocation(settings.dataDir().toString());
        global.jmx().enabled(false);
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        long chunkEntries = Math.max(64, settings.memoryMaxBytes() / TYPICAL_CHUNK_BYTES);
        for (int rf = 1; rf <= MAX_REPLICATION_FACTOR; rf++) {
            manager.defineConfiguration(chunksCache(rf), configuration(rf, settings.dataDir(), chunksCache(rf),
                    chunkEntries));
            manager.defineConfiguration(indexCache(rf), configuration(rf, settings.dataDir(), indexCache(rf),
                    1_000_000));
        }
        manager.start();
        PartitionStore store = new PartitionStore(manager);
        for (int rf = 1; rf <= MAX_REPLICATION_FACTOR; rf++) {
            store.cache(chunksCache(rf));
            store.cache(indexCache(rf));
        }
        LOG.infof("store node %s joined %s with %d members", settings.nodeName(), settings.clusterName(),
                manager.getMembers().size());
        return store;
    }

    private static org.infinispan.configuration.cache.Configuration configuration(int rf, Path dataDir, String name,
            long maxEntries) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.clustering().cacheMode(CacheMode.DIST_SYNC)
                .remoteTimeout(15_000)
                .hash().numOwners(rf).groups().enabled().addGrouper(new PartitionGrouper());
        b.clustering().stateTransfer().awaitInitialTransfer(true).timeout(300_000);
        b.memory().maxCount(maxEntries);
        b.persistence().passivation(false)
                .addSoftIndexFileStore()
                .dataLocation(dataDir.resolve(name).resolve("data").toString())
                .indexLocation(dataDir.resolve(name).resolve("index").toString())
                .preload(false)
                .purgeOnStartup(false);
        return b.build();
    }

    static String chunksCache(int rf) {
        return "chunks-rf" + rf;
    }

    static String indexCache(int rf) {
        return "index-rf" + rf;
    }

    private AdvancedCache<String, byte[]> cache(String name) {
        return caches.computeIfAbsent(name, n -> {
            Cache<String, byte[]> cache = manager.getCache(n);
            return cache.getAdvancedCache();
        });
    }

    private AdvancedCache<String, byte[]> chunks(int rf) {
        return cache(chunksCache(checked(rf)));
    }

    private AdvancedCache<String, byte[]> index(int rf) {
        return cache(indexCache(checked(rf)));
    }

    private static int checked(int rf) {
        if (rf < 1 || rf > MAX_REPLICATION_FACTOR) {
            throw new IllegalArgumentException("replication factor " + rf + " is outside 1.." + MAX_REPLICATION_FACTOR);
        }
        return rf;
    }

    /**
     * Writes a chunk and its index entry in parallel; completes once every owner holds both. The values are stored as
     * given and must not change afterwards.
     */
    public CompletableFuture<Void> write(int rf, ChunkKey key, byte[] chunk, byte[] indexEntry) {
        String k = key.encode();
        CompletableFuture<?> data = chunks(rf).withFlags(Flag.IGNORE_RETURN_VALUES).putAsync(k, chunk);
        CompletableFuture<?> entry = index(rf).withFlags(Flag.IGNORE_RETURN_VALUES).putAsync(k, indexEntry);
        return CompletableFuture.allOf(data, entry);
    }

    /** The chunk's bytes, or null if there is no such chunk. */
    public CompletableFuture<byte[]> readChunk(int rf, ChunkKey key) {
        return chunks(rf).getAsync(key.encode());
    }

    /** Every index entry of a partition by base offset, from memory and disk across the cluster. */
    public CompletableFuture<NavigableMap<Long, byte[]>> readIndex(int rf, String topicId, int partition) {
        AdvancedCache<String, byte[]> index = index(rf);
        return CompletableFuture.supplyAsync(() -> {
            NavigableMap<Long, byte[]> entries = new TreeMap<>();
            index.getGroup(ChunkKey.group(topicId, partition))
                    .forEach((key, value) -> entries.put(ChunkKey.decode(key).baseOffset(), value));
            return entries;
        }, blocking);
    }

    /** Removes a chunk and its index entry (retention). */
    public CompletableFuture<Void> delete(int rf, ChunkKey key) {
        String k = key.encode();
        return CompletableFuture.allOf(
                index(rf).withFlags(Flag.IGNORE_RETURN_VALUES).removeAsync(k),
                chunks(rf).withFlags(Flag.IGNORE_RETURN_VALUES).removeAsync(k));
    }

    /** Removes everything a partition has (topic deletion). */
    public CompletableFuture<Void> deletePartition(int rf, String topicId, int partition) {
        String group = ChunkKey.group(topicId, partition);
        AdvancedCache<String, byte[]> index = index(rf);
        AdvancedCache<String, byte[]> chunks = chunks(rf);
        return CompletableFuture.runAsync(() -> {
            index.removeGroup(group);
            chunks.removeGroup(group);
        }, blocking);
    }

    /** The current members of the store cluster, by node name. */
    public List<String> members() {
        return manager.getMembers().stream().map(Object::toString).toList();
    }

    /** True while any store cache is still moving data between nodes. */
    public boolean rebalancing() {
        return caches.values().stream().anyMatch(c -> c.getDistributionManager().isRehashInProgress());
    }

    /** Whether this node owns the given partition's data. */
    public boolean isOwner(int rf, String topicId, int partition) {
        return chunks(rf).getDistributionManager().getCacheTopology()
                .isWriteOwner(ChunkKey.group(topicId, partition) + ":0");
    }

    /**
     * Stops every store cache on every node at once, persisting the cluster's topology, so that a full restart finds
     * each entry where it was left. Use before stopping all brokers; a single broker leaving uses {@link #close()}.
     */
    public void shutdownCluster() {
        LOG.info("store: clustered shutdown of all caches");
        manager.shutdownAllCaches();
    }

    @Override
    public void close() {
        blocking.shutdownNow();
        manager.stop();
    }
}
