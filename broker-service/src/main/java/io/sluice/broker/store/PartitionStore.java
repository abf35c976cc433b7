package io.sluice.broker.store;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.infinispan.AdvancedCache;
import org.infinispan.CachePublisher;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.commons.marshall.WrappedBytes;
import org.infinispan.commons.util.IntSets;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.StateTransferConfiguration;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.context.Flag;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.distribution.ch.KeyPartitioner;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.functional.FunctionalMap;
import org.infinispan.functional.impl.FunctionalMapImpl;
import org.infinispan.functional.impl.ReadWriteMapImpl;
import org.infinispan.functional.impl.WriteOnlyMapImpl;
import org.infinispan.lifecycle.ComponentStatus;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.marshall.core.MarshallableFunctions;
import org.infinispan.partitionhandling.AvailabilityException;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.reactive.publisher.PublisherTransformers;
import org.infinispan.topology.CacheTopology;
import org.jboss.logging.Logger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import io.sluice.replication.RemoveIfBytesEqual;
import io.sluice.replication.ReplicatedNode;

/**
 * The replicated, persistent home of partition data: this broker's node of the brokers' Infinispan cluster.
 * <p>
 * Per replication factor r &gt; 1 there are two DIST_SYNC caches with r owners, both grouped by partition so that every
 * entry of a partition has the same owners: {@code chunks-rf<r>} (chunk bytes) and {@code index-rf<r>} (a small entry
 * per chunk). Replication factor 1 has two LOCAL caches instead, {@code chunks-local} and {@code index-local}: as in
 * Kafka, such a partition lives on one broker, its leader, and is offline while that broker is away; its data comes
 * back with the broker, never handed to (and lost on) another node. All of them persist to SoftIndexFileStores under the
 * data dir and keep in memory at most the share of the memory budget that {@link MemoryBudget} gives them by need.
 * <p>
 * A node cut off from the majority of the replicated caches' members refuses every operation on them
 * (AvailabilityException) until it is merged back, and then holds only what the majority held ({@link #available()} is
 * false meanwhile).
 * <p>
 * Every operation is asynchronous. Futures complete on Infinispan's threads: callbacks must not block.
 * <p>
 * Lifecycle: {@link #close()} leaves the cluster (rf &gt; 1 data stays with the other owners, rf = 1 data stays in this
 * node's files). A node that comes back to a cluster that went on without it (after a leave or a crash) empties its
 * replicated stores, which may hold chunks deleted meanwhile, and takes its share from the others; it keeps its local
 * ones. To stop the whole cluster and find every replicated entry where it was, call {@link #shutdownCluster()} on one
 * node before closing them all.
 */
public final class PartitionStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PartitionStore.class);
    /** How long a cluster-wide shutdown waits for data on the move to settle (within the CLI's 60 s). */
    private static final Duration SHUTDOWN_SETTLE_TIMEOUT = Duration.ofSeconds(45);
    /**
     * Every node defines and starts the caches of every replication factor up to this one when it starts, so each node
     * is a member of every cache: a cache that a node has not started gets no data on it.
     */
    public static final int MAX_REPLICATION_FACTOR = 5;
    /**
     * Chunks a node sends in one message when it hands data to a node that joins or comes back: chunks are up to about
     * 1 MiB (sluice.broker.store.chunk-max-bytes), and Infinispan's default of 512 entries a message had the sender
     * build, and the joiner take in, hundreds of MiB at once. A broker rejoining after its kill made the others run out
     * of heap with 200 MB of 1 KiB records to hand over.
     */
    private static final int CHUNKS_PER_TRANSFER = 4;
    /** Index entries are tens of bytes: Infinispan's default. */
    private static final int INDEX_ENTRIES_PER_TRANSFER = StateTransferConfiguration.CHUNK_SIZE.getDefaultValue();

    private final ReplicatedNode node;
    /**
     * By replication factor (element 0 unused; element 1 the local caches), flagged to skip returning previous values.
     */
    private final List<AdvancedCache<byte[], byte[]>> chunks;
    private final List<AdvancedCache<byte[], byte[]>> index;
    /**
     * The index caches without that flag: claiming an index slot needs to know whether it was free, releasing one
     * whether it held the entry.
     */
    private final List<AdvancedCache<byte[], byte[]>> claims;
    /** Where the bulk requests Infinispan only makes blocking wait, off Infinispan's threads and the callers'. */
    private final ExecutorService bulk = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "store-bulk");
        t.setDaemon(true);
        return t;
    });
    private final MemoryBudget memory;

    private PartitionStore(ReplicatedNode node, long memoryMaxBytes) {
        this.node = node;
        this.chunks = caches(rf -> cache(chunksCache(rf)).withFlags(Flag.IGNORE_RETURN_VALUES));
        this.index = caches(rf -> cache(indexCache(rf)).withFlags(Flag.IGNORE_RETURN_VALUES));
        this.claims = caches(rf -> cache(indexCache(rf)));
        this.memory = MemoryBudget.start(memoryMaxBytes,
                IntStream.rangeClosed(1, MAX_REPLICATION_FACTOR).mapToObj(rf -> cache(chunksCache(rf))).toList(),
                IntStream.rangeClosed(1, MAX_REPLICATION_FACTOR).mapToObj(rf -> cache(indexCache(rf))).toList());
    }

    private AdvancedCache<byte[], byte[]> cache(String name) {
        return node.manager().<byte[], byte[]> getCache(name).getAdvancedCache();
    }

    private static List<AdvancedCache<byte[], byte[]>> caches(IntFunction<AdvancedCache<byte[], byte[]>> byRf) {
        return IntStream.rangeClosed(0, MAX_REPLICATION_FACTOR).mapToObj(rf -> rf == 0 ? null : byRf.apply(rf))
                .toList();
    }

    /**
     * Starts this node, joins the cluster and starts every store cache (blocking). After a {@link #shutdownCluster()}
     * this returns before the other nodes are back; the caches serve nothing until then ({@link #available()}).
     */
    public static PartitionStore start(StoreSettings settings) {
        ReplicatedNode node = ReplicatedNode.start(settings.node());
        try {
            long chunkMemory = MemoryBudget.evenShare(MemoryBudget.chunkBudget(settings.memoryMaxBytes()),
                    MAX_REPLICATION_FACTOR);
            long indexMemory = MemoryBudget.evenShare(MemoryBudget.indexBudget(settings.memoryMaxBytes()),
                    MAX_REPLICATION_FACTOR);
            List<String> names = new ArrayList<>();
            for (int rf = 1; rf <= MAX_REPLICATION_FACTOR; rf++) {
                node.manager().defineConfiguration(chunksCache(rf),
                        configuration(node, rf, chunksCache(rf), chunkMemory, CHUNKS_PER_TRANSFER));
                node.manager().defineConfiguration(indexCache(rf),
                        configuration(node, rf, indexCache(rf), indexMemory, INDEX_ENTRIES_PER_TRANSFER));
                names.add(chunksCache(rf));
                names.add(indexCache(rf));
            }
            node.manager().startCaches(names.toArray(String[]::new));
            node.caughtUp();
            PartitionStore store = new PartitionStore(node, settings.memoryMaxBytes());
            List<String> emptied = node.emptiedAtStart();
            LOG.infof("store node %s is in cluster %s with %s%s", node.name(), settings.node().clusterName(),
                    store.members(), emptied.isEmpty() ? "" : "; back after the others went on, it emptied " + emptied);
            return store;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private static Configuration configuration(ReplicatedNode node, int rf, String name, long memoryBytes,
            int entriesPerTransfer) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        // Local caches are grouped and segmented too: a partition's entries are read from its group's segment alone.
        b.clustering().hash().groups().enabled().addGrouper(new PartitionGrouper());
        if (rf > 1) {
            b.clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(rf);
            // The partition leader may open its log before this node has all of its share.
            b.clustering().stateTransfer().awaitInitialTransfer(false).chunkSize(entriesPerTransfer);
            // A node that loses sight of the majority of the cache's stable members (or of every owner of some
            // segment) stops serving the cache (AvailabilityException, so the leader gives up), instead of becoming
            // sole owner of everything and acknowledging writes that the majority never sees. On a merge the
            // majority's topology wins, and a node coming back from a degraded minority drops every segment it held,
            // memory and files, before taking its share again: what only it held (a write in flight at the cut,
            // never acknowledged) does not come back. So no conflict resolution, which would read every entry of
            // every cache from every owner at each merge and at each coordinator change.
            b.clustering().partitionHandling().whenSplit(PartitionHandling.DENY_READ_WRITES)
                    .mergePolicy(MergePolicy.NONE);
        }
        // Bytes in, bytes stored: nothing to marshal, and eviction can weigh entries by their size (it needs binary
        // storage; object storage can only count entries).
        b.encoding().key().mediaType(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        b.encoding().value().mediaType(MediaType.APPLICATION_OCTET_STREAM_TYPE);
        b.memory().maxSize(Long.toString(memoryBytes));
        // A leader reads a partition's index when it takes leadership: nothing to preload.
        return (rf == 1 ? node.localFileStore(b, name) : node.fileStore(b, name, false)).build();
    }

    static String chunksCache(int rf) {
        return rf == 1 ? "chunks-local" : "chunks-rf" + rf;
    }

    static String indexCache(int rf) {
        return rf == 1 ? "index-local" : "index-rf" + rf;
    }

    private AdvancedCache<byte[], byte[]> chunks(int rf) {
        return chunks.get(checked(rf));
    }

    private AdvancedCache<byte[], byte[]> index(int rf) {
        return index.get(checked(rf));
    }

    private AdvancedCache<byte[], byte[]> claims(int rf) {
        return claims.get(checked(rf));
    }

    private static int checked(int rf) {
        if (rf < 1 || rf > MAX_REPLICATION_FACTOR) {
            throw new IllegalArgumentException("replication factor " + rf + " is outside 1.." + MAX_REPLICATION_FACTOR);
        }
        return rf;
    }

    /**
     * Writes a chunk (under its leader epoch), then claims its index slot; completes once every owner holds both, in
     * memory and in its file store, with false when another leader had claimed that offset first (this one is deposed;
     * its chunk bytes are written but nothing points at them, see {@link #removeChunk}). The arrays are stored as given
     * and must not change afterwards. On failure the chunk may have been written, and the slot claimed only if the
     * chunk was ({@link #storedChunks} finds such chunks later). A slot found holding this very entry is this write's
     * (a claim Infinispan retried after a topology change).
     * <p>
     * The slot is claimed only once every owner holds the chunk, so a claimed slot whose chunk is missing is never a
     * write still under way that could yet be acknowledged: {@link #releaseSlot} may free it.
     */
    public CompletableFuture<Boolean> write(int rf, StoredChunk chunk, byte[] bytes, byte[] indexEntry) {
        return chunks(rf).putAsync(chunk.toBytes(), bytes)
                .thenCompose(stored -> claims(rf).putIfAbsentAsync(chunk.key().toBytes(), indexEntry))
                .thenApply(previous -> previous == null || Arrays.equals(previous, indexEntry));
    }

    /**
     * Stores the bytes of a chunk the log cleaner made, under a cleaning id of its own (no index entry points at them
     * yet); completes once every owner holds them.
     */
    public CompletableFuture<Void> writeCleaned(int rf, StoredChunk chunk, byte[] bytes) {
        if (chunk.cleaning() == 0) {
            throw new IllegalArgumentException("a cleaned chunk needs a cleaning id: " + chunk);
        }
        return chunks(rf).putAsync(chunk.toBytes(), bytes).thenApply(previous -> null);
    }

    /**
     * Points an index slot at another chunk if it still holds {@code expected}, the entry as read: the log cleaner's
     * swap, which loses to any other change of the slot. Completes with whether it replaced the entry.
     */
    public CompletableFuture<Boolean> replaceIndexEntry(int rf, ChunkKey key, byte[] expected, byte[] replacement) {
        return claims(rf).replaceAsync(key.toBytes(), expected, replacement);
    }

    /** The index entry in a chunk's slot, or null if the slot is free. */
    public CompletableFuture<byte[]> readIndexEntry(int rf, ChunkKey key) {
        return index(rf).getAsync(key.toBytes());
    }

    /**
     * Frees an index slot whose chunk is missing (claimed before its chunk was stored, as writes once did in parallel,
     * or its chunk lost), if it still holds {@code indexEntry}, the entry as read: the next leader can then write that
     * offset, while a slot another leader has claimed since stays its. Completes with whether it removed the entry.
     */
    public CompletableFuture<Boolean> releaseSlot(int rf, ChunkKey key, byte[] indexEntry) {
        return claims(rf).removeAsync(key.toBytes(), indexEntry);
    }

    /**
     * The index entries in chunks' slots by base offset (a free slot has none), in one request to the partition's
     * owners: the log cleaner reads thousands of small entries at once.
     */
    public CompletableFuture<Map<Long, byte[]>> readIndexEntries(int rf, Collection<ChunkKey> keys) {
        Set<byte[]> wanted = keys.stream().map(ChunkKey::toBytes).collect(Collectors.toSet());
        return index(rf).getAllAsync(wanted).thenApply(found -> {
            Map<Long, byte[]> entries = new HashMap<>();
            found.forEach((key, entry) -> entries.put(ChunkKey.fromBytes(bytes(key)).baseOffset(), bytes(entry)));
            return entries;
        });
    }

    /**
     * {@link #releaseSlot} for many slots of one partition (by key, each with its entry as read), in one request to its
     * owners; completes with how many it freed. The request is made on a thread of the store's own, as Infinispan
     * makes it blocking.
     */
    public CompletableFuture<Long> releaseSlots(int rf, Map<ChunkKey, byte[]> entries) {
        Map<byte[], byte[]> expected = new HashMap<>();
        entries.forEach((key, entry) -> expected.put(key.toBytes(), entry));
        FunctionalMap.ReadWriteMap<byte[], byte[]> slots = ReadWriteMapImpl.create(FunctionalMapImpl.create(claims(rf)));
        return CompletableFuture.supplyAsync(() -> slots.evalMany(expected, RemoveIfBytesEqual.INSTANCE)
                .filter(Boolean::booleanValue).count(), bulk);
    }

    /** These bytes of a chunk (its leader epoch's, or a cleaning's), or null if there are none. */
    public CompletableFuture<byte[]> readChunk(int rf, StoredChunk chunk) {
        return chunks(rf).getAsync(chunk.toBytes());
    }

    /** Every index entry of a partition by base offset, from memory and disk, wherever its owners are. */
    public CompletableFuture<NavigableMap<Long, byte[]>> readIndex(int rf, String topicId, int partition) {
        String group = ChunkKey.group(topicId, partition);
        byte[] logStartKey = ChunkKey.logStartKey(topicId, partition);
        NavigableMap<Long, byte[]> entries = new TreeMap<>();
        AdvancedCache<byte[], byte[]> cache = index(rf);
        Supplier<Publisher<CacheEntry<Object, Object>>> source = () -> groupSegment(cache, group)
                .entryPublisher(PublisherTransformers.<CacheEntry<Object, Object>> identity())
                .publisherWithoutSegments();
        return forEach(cache, source, entry -> {
            byte[] key = bytes(entry.getKey());
            if (group.equals(ChunkKey.groupOf(key)) && !Arrays.equals(key, logStartKey)) {
                entries.put(ChunkKey.fromBytes(key).baseOffset(), bytes(entry.getValue()));
            }
        }).thenApply(done -> entries);
    }

    /**
     * The log start offset recorded for a partition (DeleteRecords), or -1 for none: beside its index entries, with
     * the same owners, and removed with the partition.
     */
    public CompletableFuture<Long> readLogStart(int rf, String topicId, int partition) {
        return index(rf).getAsync(ChunkKey.logStartKey(topicId, partition))
                .thenApply(value -> value == null ? -1 : ByteBuffer.wrap(value).getLong());
    }

    /** Records a partition's log start offset; completes once every owner holds it. */
    public CompletableFuture<Void> writeLogStart(int rf, String topicId, int partition, long offset) {
        return index(rf).putAsync(ChunkKey.logStartKey(topicId, partition),
                ByteBuffer.allocate(Long.BYTES).putLong(offset).array()).thenApply(previous -> null);
    }

    /**
     * The chunks of a partition by base offset and the leader epochs they were written in, whether or not an index
     * entry points at them: keys only, from memory and disk, wherever its owners are.
     */
    public CompletableFuture<List<StoredChunk>> storedChunks(int rf, String topicId, int partition) {
        List<StoredChunk> found = new ArrayList<>();
        return forEachKey(chunks(rf), ChunkKey.group(topicId, partition), key -> found.add(StoredChunk.fromBytes(key)))
                .thenApply(done -> found);
    }

    /** Removes a chunk that no index entry points at (one a deposed or killed leader left behind). */
    public CompletableFuture<Void> removeChunk(int rf, StoredChunk chunk) {
        return chunks(rf).removeAsync(chunk.toBytes()).thenApply(removed -> null);
    }

    /**
     * {@link #removeChunk} for many chunks of one partition, in one request to its owners: the log cleaner removes
     * thousands of small chunks it replaced at once.
     */
    public CompletableFuture<Void> removeChunks(int rf, Collection<StoredChunk> removed) {
        Set<byte[]> keys = removed.stream().map(StoredChunk::toBytes).collect(Collectors.toSet());
        FunctionalMap.WriteOnlyMap<byte[], byte[]> stored = WriteOnlyMapImpl.create(FunctionalMapImpl.create(chunks(rf)));
        return stored.evalMany(keys, MarshallableFunctions.removeConsumer());
    }

    /** Removes a chunk and its index entry (retention): the index entry first, so none points at a missing chunk. */
    public CompletableFuture<Void> delete(int rf, StoredChunk chunk) {
        return index(rf).removeAsync(chunk.key().toBytes())
                .thenCompose(removed -> chunks(rf).removeAsync(chunk.toBytes()))
                .thenApply(removed -> null);
    }

    /** Removes every chunk (of every leader epoch) and index entry of a partition (topic deletion). */
    public CompletableFuture<Void> deletePartition(int rf, String topicId, int partition) {
        return deleteGroup(rf, ChunkKey.group(topicId, partition));
    }

    private CompletableFuture<Void> deleteGroup(int rf, String group) {
        return removeGroup(index(rf), group).thenCompose(done -> removeGroup(chunks(rf), group));
    }

    /**
     * Removes this node's rf = 1 data of every partition whose topic id {@code stray} accepts (asked when removing);
     * completes with the groups ({@code topicId:partition}) removed.
     */
    public CompletableFuture<List<String>> removeLocalPartitions(Predicate<String> stray) {
        Set<String> groups = new HashSet<>();
        AdvancedCache<byte[], byte[]> local = index(1);
        Supplier<Publisher<Object>> keys = () -> publisher(local)
                .keyPublisher(PublisherTransformers.<Object> identity())
                .publisherWithoutSegments();
        return forEach(local, keys, key -> groups.add(ChunkKey.groupOf(bytes(key))))
                .thenCompose(done -> {
                    List<String> removed = groups.stream().sorted()
                            .filter(group -> stray.test(group.substring(0, group.indexOf(':'))))
                            .toList();
                    return CompletableFuture.allOf(removed.stream()
                            .map(group -> deleteGroup(1, group))
                            .toArray(CompletableFuture[]::new))
                            .thenApply(r -> removed);
                });
    }

    private static CompletableFuture<Void> removeGroup(AdvancedCache<byte[], byte[]> cache, String group) {
        List<CompletableFuture<?>> removals = new ArrayList<>();
        return forEachKey(cache, group, key -> removals.add(cache.removeAsync(key)))
                .thenCompose(done -> CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)));
    }

    /** Feeds every key of the group, from memory and disk, wherever its owners are, to {@code sink}. */
    private static CompletableFuture<Void> forEachKey(AdvancedCache<byte[], byte[]> cache, String group,
            Consumer<byte[]> sink) {
        Supplier<Publisher<Object>> keys = () -> groupSegment(cache, group)
                .keyPublisher(PublisherTransformers.<Object> identity())
                .publisherWithoutSegments();
        return forEach(cache, keys, key -> {
            byte[] k = bytes(key);
            if (group.equals(ChunkKey.groupOf(k))) {
                sink.accept(k);
            }
        });
    }

    /**
     * The cache's entries in the one segment that holds the group: only its owners are asked, only it is read (from
     * memory and from the file store), and the identity transformer is one Infinispan can send to other nodes.
     */
    private static CachePublisher<Object, Object> groupSegment(AdvancedCache<byte[], byte[]> cache, String group) {
        int segment = ComponentRegistry.componentOf(cache, KeyPartitioner.class).getSegment(group);
        return publisher(cache).withSegments(IntSets.immutableSet(segment));
    }

    /** Stored keys and values are arrays or wrapped arrays ({@link #bytes}). */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static CachePublisher<Object, Object> publisher(AdvancedCache<byte[], byte[]> cache) {
        return (CachePublisher) cache.cachePublisher();
    }

    /** Keys and values come back as arrays or, straight from storage, wrapped. */
    private static byte[] bytes(Object stored) {
        if (stored instanceof byte[] b) {
            return b;
        }
        if (stored instanceof WrappedBytes w) {
            return w.getBytes();
        }
        throw new IllegalStateException("unexpected stored type " + stored.getClass().getName());
    }

    /**
     * Feeds every item of a publisher of the cache to {@code sink}, one at a time; completes when the publisher does,
     * or fails, never throws. A degraded cache (a minority, a restarted cluster not settled yet) refuses bulk reads,
     * at times only once an owner runs the read, which Infinispan then logs as an ERROR (seen in a system test): it is
     * refused here first, with the same exception, for callers that expect it and retry.
     */
    private static <T> CompletableFuture<Void> forEach(AdvancedCache<byte[], byte[]> cache,
            Supplier<Publisher<T>> source, Consumer<T> sink) {
        AvailabilityMode availability = cache.getAvailability();
        if (availability != AvailabilityMode.AVAILABLE) {
            return CompletableFuture.failedFuture(new AvailabilityException(
                    "cache " + cache.getName() + " is " + availability + " and serves no bulk read"));
        }
        Publisher<T> publisher;
        try {
            publisher = source.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<T>() {
            private Subscription subscription;

            @Override
            public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(T item) {
                try {
                    sink.accept(item);
                } catch (RuntimeException e) {
                    subscription.cancel();
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

    /** This node's name in the store cluster. */
    public String name() {
        return node.name();
    }

    /** The current members of the store cluster, by node name, oldest first. */
    public List<String> members() {
        return node.members();
    }

    /**
     * True when every store cache can serve: false while a cluster restarted after {@link #shutdownCluster()} waits
     * for nodes that were in it, and while this node is in a minority or a cache has lost every owner of some
     * partitions (degraded), until the nodes merge again.
     */
    public boolean available() {
        return caches().allMatch(c -> c.getStatus() == ComponentStatus.RUNNING
                && c.getAvailability() == AvailabilityMode.AVAILABLE)
                && replicatedCaches().allMatch(c -> c.getDistributionManager().getCacheTopology().getTopologyId() >= 0);
    }

    /**
     * Whether the running nodes hold any replicated cache to have gone on without this node since it last caught up:
     * its files of that cache would be emptied at its next start.
     */
    public boolean markedAway() {
        return replicatedCaches().anyMatch(c -> node.wasAway(c.getName()));
    }

    /**
     * True while any store cache is still moving data between nodes, or has not yet taken in the current members (a
     * node that just joined or left).
     */
    public boolean rebalancing() {
        Set<String> members = Set.copyOf(members());
        return replicatedCaches().anyMatch(c -> !settled(c, members));
    }

    private static boolean settled(AdvancedCache<byte[], byte[]> cache, Set<String> members) {
        LocalizedCacheTopology topology = cache.getDistributionManager().getCacheTopology();
        return !cache.getDistributionManager().isRehashInProgress()
                && topology.getPhase() == CacheTopology.Phase.NO_REBALANCE
                && members.equals(topology.getMembers().stream().map(Object::toString).collect(Collectors.toSet()));
    }

    /**
     * The nodes that own the given partition's data, by node name, primary owner first, once the store has settled
     * where it lives: empty while its cache moves data or has not taken in the current members. This node alone, for
     * rf = 1.
     */
    public Optional<List<String>> settledOwners(int rf, String topicId, int partition) {
        if (rf == 1) {
            return Optional.of(List.of(node.name()));
        }
        AdvancedCache<byte[], byte[]> cache = chunks(rf);
        if (!settled(cache, Set.copyOf(members()))) {
            return Optional.empty();
        }
        LocalizedCacheTopology topology = cache.getDistributionManager().getCacheTopology();
        return Optional.of(topology.getSegmentDistribution(topology.getSegment(ChunkKey.group(topicId, partition)))
                .readOwners().stream().map(Object::toString).toList());
    }

    /** Whether this node holds (or is receiving) the given partition's data: always, for rf = 1. */
    public boolean isOwner(int rf, String topicId, int partition) {
        if (rf == 1) {
            return true;
        }
        LocalizedCacheTopology topology = chunks(rf).getDistributionManager().getCacheTopology();
        return topology.isSegmentWriteOwner(topology.getSegment(ChunkKey.group(topicId, partition)));
    }

    /**
     * The nodes that hold (or are receiving) the given partition's data, by node name, primary owner first: this one
     * alone, for rf = 1.
     */
    public List<String> owners(int rf, String topicId, int partition) {
        if (rf == 1) {
            return List.of(node.name());
        }
        LocalizedCacheTopology topology = chunks(rf).getDistributionManager().getCacheTopology();
        return topology.getSegmentDistribution(topology.getSegment(ChunkKey.group(topicId, partition)))
                .writeOwners().stream().map(Object::toString).toList();
    }

    private Stream<AdvancedCache<byte[], byte[]>> caches() {
        return caches(1);
    }

    private Stream<AdvancedCache<byte[], byte[]>> replicatedCaches() {
        return caches(2);
    }

    private Stream<AdvancedCache<byte[], byte[]>> caches(int fromRf) {
        return IntStream.rangeClosed(fromRf, MAX_REPLICATION_FACTOR).mapToObj(rf -> Stream.of(chunks(rf), index(rf)))
                .flatMap(s -> s);
    }

    /** The memory budget the store's caches share ({@code sluice.broker.store.memory-max}). */
    long memoryBudget() {
        return memory.budget();
    }

    /** The memory bound of a store cache ({@link #chunksCache}, {@link #indexCache}) and what it holds now. */
    MemoryBudget.CacheMemory memory(String cache) {
        return memory.memory(cache);
    }

    /** Re-divides the memory budget among the caches now, for tests (it happens every few seconds anyway). */
    void rebalanceMemory() {
        memory.rebalance();
    }

    /** The cache manager, for tests that look at distribution. */
    DefaultCacheManager manager() {
        return node.manager();
    }

    /**
     * Stops every store cache on every node at once, each node persisting the cache topology, so that a full restart
     * finds every replicated entry where it was left. Call it on one node before stopping all brokers, then
     * {@link #close()} each; after the restart the caches are {@link #available()} once every node is back.
     */
    public void shutdownCluster() {
        // A shutdown while data moves persists a topology whose new owners do not hold the data yet.
        long deadline = System.nanoTime() + SHUTDOWN_SETTLE_TIMEOUT.toNanos();
        long start = System.nanoTime();
        while ((rebalancing() || !available()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (rebalancing()) {
            LOG.warnf("store: still moving data after %d s; shutting down anyway",
                    SHUTDOWN_SETTLE_TIMEOUT.toSeconds());
        }
        LOG.infof("store: cluster-wide shutdown of all caches (waited %d ms for the store to settle)",
                (System.nanoTime() - start) / 1_000_000);
        node.shutdownCluster();
    }

    /** Leaves the cluster gracefully: the other owners keep serving this node's partitions (rf &gt; 1). */
    @Override
    public void close() {
        memory.close();
        bulk.shutdownNow();
        node.close();
    }
}
