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
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;

import io.sluice.protocol.membership.JGroupsStacks;

/**
 * The coordinators' shared, persistent state: one REPL_SYNC Infinispan cache of JSON documents, written through to a
 * SoftIndexFileStore, so every coordinator replica holds all of it and a restart finds it on disk.
 */
public final class StateStore implements AutoCloseable {

    private static final String CACHE = "coordinator-state";

    private final DefaultCacheManager manager;
    private final Cache<String, String> cache;

    private StateStore(DefaultCacheManager manager) {
        this.manager = manager;
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
        ConfigurationBuilder cache = new ConfigurationBuilder();
        cache.clustering().cacheMode(CacheMode.REPL_SYNC).remoteTimeout(15_000);
        cache.persistence().passivation(false).addSoftIndexFileStore()
                .dataLocation(dataDir.resolve(CACHE).resolve("data").toString())
                .indexLocation(dataDir.resolve(CACHE).resolve("index").toString())
                .preload(true);
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        manager.defineConfiguration(CACHE, cache.build());
        manager.start();
        return new StateStore(manager);
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

    /** True when this replica is the one that acts (the oldest member of the coordinators' cluster). */
    public boolean active() {
        return manager.isCoordinator();
    }

    @Override
    public void close() {
        manager.stop();
    }
}
