package io.sluice.replication;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;

/**
 * This process's node of one of Sluice's embedded, persistent Infinispan clusters (the brokers' partition store, the
 * coordinators' state), started the one way both are: JGroups from {@code jgroups-sluice.xml} under the address it
 * had before a crash ({@link NodeAddress}), global state under the data dir (the node's identity and, after a cluster-wide
 * shutdown, each cache's topology), no JMX or metrics of its own.
 * <p>
 * A node that a cache went on without has been away while that cache's data changed: its files of it may hold entries
 * deleted since. It starts that cache with its files emptied ({@link #fileStore}) and takes the current data from the
 * others ({@link DepartedNodes}). After a cluster-wide shutdown nobody remembers a departure, and every node keeps its
 * files.
 */
public final class ReplicatedNode implements AutoCloseable {

    /**
     * Bytes of a file store's data file before the next one starts: 4 times SoftIndexFileStore's default, since at
     * 16 MiB creating the files of a busy broker cost 4-7 % of its CPU.
     */
    private static final int FILE_BYTES = 64 * 1024 * 1024;
    private static final String READ_AHEAD_PROPERTY = "rx3.buffer-size";
    private static final int READ_AHEAD = 8;

    private final NodeSettings settings;
    private final DefaultCacheManager manager;
    private final DepartedNodes departed;
    /** The caches with a file store that the others keep up to date, and whether each was emptied at its start. */
    private final Map<String, Boolean> replicatedStores = new ConcurrentHashMap<>();

    private ReplicatedNode(NodeSettings settings, DefaultCacheManager manager, DepartedNodes departed) {
        this.settings = settings;
        this.manager = manager;
        this.departed = departed;
    }

    /** Starts the node and joins its cluster (blocking); the caller then defines and starts its caches. */
    public static ReplicatedNode start(NodeSettings settings) {
        boundReadAhead();
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport()
                .clusterName(settings.clusterName())
                .nodeName(settings.nodeName())
                .addProperty(JGroupsTransport.CHANNEL_CONFIGURATOR,
                        JGroupsStacks.configurator(settings.clusterName(), settings,
                                NodeAddress.of(settings.dataDir())));
        global.globalState().enable()
                .persistentLocation(settings.dataDir().toString())
                .sharedPersistentLocation(settings.dataDir().toString());
        global.serialization().addContextInitializer(new StatelessFunctions());
        global.jmx().enabled(false);
        // The service stops its node itself, once it no longer serves: Infinispan's own JVM hook would stop the caches
        // at the same moment as the service begins to stop, failing requests still being answered from them.
        global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
        // Services report their own metrics; Infinispan's would need wiring into the application's registry.
        global.metrics().gauges(false).histograms(false);
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        try {
            manager.start();
            return new ReplicatedNode(settings, manager, DepartedNodes.join(manager, settings.nodeName()));
        } catch (RuntimeException e) {
            manager.stop();
            throw e;
        }
    }

    /** The node's cache manager, where its owner defines and starts its caches. */
    public DefaultCacheManager manager() {
        return manager;
    }

    public String name() {
        return settings.nodeName();
    }

    /** Whether the running nodes went on with {@code cache} without this node: it starts with its files emptied. */
    public boolean wasAway(String cache) {
        return departed.wasAway(settings.nodeName(), cache);
    }

    /**
     * Holds the RxJava streams Infinispan reads its stores through to {@value #READ_AHEAD} entries ahead, not RxJava's
     * default of 128. Handing a partition's chunks to a node that joins or comes back streams them from the file store,
     * and 128 chunks of up to 1 MiB read ahead ran a 256 MiB node out of heap (StoreTransferIT). RxJava reads the
     * property once, when its first stream class loads, which the cache manager's start does.
     */
    private static void boundReadAhead() {
        if (System.getProperty(READ_AHEAD_PROPERTY) == null) {
            System.setProperty(READ_AHEAD_PROPERTY, Integer.toString(READ_AHEAD));
        }
    }

    /** The caches that started with their files emptied, this node having been away while they went on. */
    public List<String> emptiedAtStart() {
        return replicatedStores.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted()
                .toList();
    }

    /**
     * Makes {@code cache} write through to a SoftIndexFileStore under the data dir ({@code <dataDir>/<name>/}),
     * emptied at start when this node {@link #wasAway(String) was away} while it went on. Write-through, not
     * write-behind: an acknowledged write is in every owner's file store.
     */
    public ConfigurationBuilder fileStore(ConfigurationBuilder cache, String name, boolean preload) {
        return fileStore(cache, name, preload, false);
    }

    /** {@link #fileStore(ConfigurationBuilder, String, boolean)}, emptied at start also when {@code empty}. */
    public ConfigurationBuilder fileStore(ConfigurationBuilder cache, String name, boolean preload, boolean empty) {
        boolean away = wasAway(name);
        replicatedStores.put(name, away);
        return softIndexStore(cache, name, preload, away || empty);
    }

    /**
     * Makes a LOCAL {@code cache} write through to a SoftIndexFileStore under the data dir, kept whatever happened
     * while this node was away: its entries are this node's own and nowhere else, so nobody else has newer ones.
     */
    public ConfigurationBuilder localFileStore(ConfigurationBuilder cache, String name) {
        return softIndexStore(cache, name, false, false);
    }

    private ConfigurationBuilder softIndexStore(ConfigurationBuilder cache, String name, boolean preload,
            boolean purge) {
        cache.persistence().passivation(false)
                .addSoftIndexFileStore()
                .dataLocation(settings.dataDir().resolve(name).resolve("data").toString())
                .indexLocation(settings.dataDir().resolve(name).resolve("index").toString())
                .maxFileSize(FILE_BYTES)
                .preload(preload && !purge)
                .purgeOnStartup(purge);
        return cache;
    }

    /**
     * Call once the node's caches have started with the current data: it is no longer away, and from now on it
     * records with the others which nodes its caches go on without.
     */
    public void caughtUp() {
        departed.back(settings.nodeName(), replicatedStores.keySet());
        replicatedStores.keySet().forEach(name -> departed.watch(manager.getCache(name)));
    }

    /** The members of the current view by node name, oldest first. */
    public List<String> members() {
        List<Address> members = manager.getMembers();
        return members == null ? List.of() : members.stream().map(Address::toString).toList();
    }

    /** The id of the current view: every node of the cluster gives the same view the same id, and ids only grow. */
    public long viewId() {
        return ViewProbe.viewId(manager);
    }

    /** Whether this node is the oldest in the current view. */
    public boolean oldest() {
        return manager.isCoordinator();
    }

    /** Calls {@code change} after every change of the view (a member joined or left, or two sides merged). */
    public void onViewChange(Runnable change) {
        manager.addListener(new ViewWatcher(change));
    }

    /**
     * Stops every cache on every node at once, each node persisting the cache topology, so that a full restart finds
     * every entry where it was left. Call it on one node, then {@link #close()} each.
     */
    public void shutdownCluster() {
        departed.stop();
        manager.shutdownAllCaches();
        NodeAddress.left(settings.dataDir());
    }

    /** Leaves the cluster: the others record the departure, and the data stays with the other owners. */
    @Override
    public void close() {
        departed.stop();
        manager.stop();
        NodeAddress.left(settings.dataDir());
    }

    @Listener(sync = false)
    public static final class ViewWatcher {
        private final Runnable change;

        ViewWatcher(Runnable change) {
            this.change = change;
        }

        @ViewChanged
        @Merged
        public void viewChanged(ViewChangedEvent event) {
            change.run();
        }
    }
}
