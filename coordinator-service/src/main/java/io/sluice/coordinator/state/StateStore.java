package io.sluice.coordinator.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jboss.logging.Logger;

import io.sluice.protocol.membership.DepartedNodes;
import io.sluice.protocol.membership.JGroupsStacks;

/**
 * The coordinators' shared, persistent state: one REPL_SYNC Infinispan cache of JSON documents, written through to a
 * SoftIndexFileStore, so every coordinator replica holds all of it and a restart finds it on disk. A replica that
 * the others saw leave comes back with its files emptied and takes the current state from them, so that entries
 * removed while it was away do not return.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StateStore.class);
    private static final String CACHE = "coordinator-state";

    private final DefaultCacheManager manager;
    private final DepartedNodes departed;
    private final Cache<String, String> cache;

    private StateStore(DefaultCacheManager manager, DepartedNodes departed) {
        this.manager = manager;
        this.departed = departed;
        this.cache = manager.getCache(CACHE);
    }

    public static StateStore start(Path dataDir, String nodeName, String clusterName, String bindAddress, int bindPort,
            String initialHosts, Optional<String> dnsQuery) {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport().clusterName(clusterName).nodeName(nodeName)
                .addProperty(JGroupsTransport.CHANNEL_CONFIGURATOR,
                        JGroupsStacks.configurator("sluice-coordinators", bindAddress, bindPort, initialHosts,
                                dnsQuery));
        global.globalState().enable().persistentLocation(dataDir.toString())
                .sharedPersistentLocation(dataDir.toString());
        global.jmx().enabled(false);
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        try {
            manager.start();
            DepartedNodes departed = DepartedNodes.join(manager);
            boolean away = departed.wasAway(nodeName);
            ConfigurationBuilder cache = new ConfigurationBuilder();
            cache.clustering().cacheMode(CacheMode.REPL_SYNC).remoteTimeout(15_000);
            // Starting blocks until the whole state has come over from the running replicas; a replica back from
            // away has nothing of its own worth loading.
            cache.persistence().passivation(false).addSoftIndexFileStore()
                    .dataLocation(dataDir.resolve(CACHE).resolve("data").toString())
                    .indexLocation(dataDir.resolve(CACHE).resolve("index").toString())
                    .preload(!away)
                    .purgeOnStartup(away);
            manager.defineConfiguration(CACHE, cache.build());
            StateStore store = new StateStore(manager, departed);
            departed.back(nodeName);
            LOG.infof("state replica %s is in %s with %s%s", nodeName, clusterName, store.members(),
                    away ? "; back after the others went on, it emptied its files and took their state" : "");
            return store;
        } catch (RuntimeException e) {
            manager.stop();
            throw e;
        }
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(cache.get(key));
    }

    public void put(String key, String value) {
        cache.put(key, value);
    }

    public void remove(String key) {
        cache.remove(key);
    }

    /** Writes and removes entries together; completes once every replica holds the change. */
    public CompletableFuture<Void> changeAsync(Map<String, String> puts, Collection<String> removals) {
        List<CompletableFuture<?>> changes = new ArrayList<>();
        if (!puts.isEmpty()) {
            changes.add(cache.putAllAsync(puts));
        }
        for (String key : removals) {
            changes.add(cache.removeAsync(key));
        }
        return CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new));
    }

    /** Every entry whose key starts with {@code prefix}. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new HashMap<>();
        cache.entrySet().forEach(e -> {
            if (e.getKey().startsWith(prefix)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The replicas in the current view, oldest first. */
    public List<String> members() {
        List<Address> members = manager.getMembers();
        return members == null ? List.of() : members.stream().map(Address::toString).toList();
    }

    /** Whether this replica is the oldest in the current view. */
    public boolean oldest() {
        return manager.isCoordinator();
    }

    /** Calls {@code change} after every change of the view (a member joined or left, or two sides merged). */
    public void onViewChange(Runnable change) {
        manager.addListener(new ViewWatcher(change));
    }

    @Override
    public void close() {
        departed.stop();
        manager.stop();
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
