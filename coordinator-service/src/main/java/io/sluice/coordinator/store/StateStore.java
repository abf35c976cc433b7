package io.sluice.coordinator.store;

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
import org.jboss.logging.Logger;

import io.sluice.replication.NodeSettings;
import io.sluice.replication.ReplicatedNode;

/**
 * The coordinators' shared, persistent state: one REPL_SYNC Infinispan cache of JSON documents, written through to a
 * SoftIndexFileStore, so every coordinator replica holds all of it and a restart finds it on disk. A replica that
 * the others saw leave comes back with its files emptied and takes the current state from them, so that entries
 * removed while it was away do not return.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StateStore.class);
    private static final String CACHE = "coordinator-state";

    private final ReplicatedNode node;
    private final Cache<String, String> cache;

    private StateStore(ReplicatedNode node) {
        this.node = node;
        this.cache = node.manager().getCache(CACHE);
    }

    public static StateStore start(NodeSettings settings) {
        ReplicatedNode node = ReplicatedNode.start(settings);
        try {
            ConfigurationBuilder cache = new ConfigurationBuilder();
            cache.clustering().cacheMode(CacheMode.REPL_SYNC).remoteTimeout(15_000);
            // Starting blocks until the whole state has come over from the running replicas.
            node.manager().defineConfiguration(CACHE, node.fileStore(cache, CACHE, true).build());
            StateStore store = new StateStore(node);
            node.caughtUp();
            LOG.infof("state replica %s is in %s with %s%s", node.name(), settings.clusterName(), store.members(),
                    node.wasAway() ? "; back after the others went on, it emptied its files and took their state" : "");
            return store;
        } catch (RuntimeException e) {
            node.close();
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
        return node.members();
    }

    /** Whether this replica is the oldest in the current view. */
    public boolean oldest() {
        return node.oldest();
    }

    /** Calls {@code change} after every change of the view (a member joined or left, or two sides merged). */
    public void onViewChange(Runnable change) {
        node.onViewChange(change);
    }

    @Override
    public void close() {
        node.close();
    }
}
