package io.sluice.replication;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.distribution.ch.ConsistentHash;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.TopologyChanged;
import org.infinispan.notifications.cachelistener.event.TopologyChangedEvent;
import org.jboss.logging.Logger;

/**
 * The nodes each persistent cache went on without, as the running nodes remember them: a node that finds itself here
 * for a cache when it starts has been away while that cache's data changed, and its files of that cache are stale.
 * <p>
 * A cache goes on without a node when its consistent hash drops the node, giving its segments to others. It does not
 * when the node's departure left it degraded (every owner of some data gone, or a minority left): its consistent hash
 * then stays as it was and nothing is written to the departed node's segments, so the node comes back with current
 * data, the only copy of some of it perhaps. Kept in memory only, replicated to every node, so that a cluster that
 * stopped completely remembers nothing and every node keeps its data.
 * <p>
 * A node back without a restart (from a pause, or a network partition, whose merge gave it its share again) is
 * current once the cache reads from it again, and its mark goes then: left, it would make the node empty its files at
 * its next start, even where they are the only copy (a crash of it and another owner, the last one degraded, keeps
 * the node an owner, and nothing would bring the data back to it).
 */
final class DepartedNodes {

    private static final Logger LOG = Logger.getLogger(DepartedNodes.class);
    private static final String CACHE = "departed-nodes";

    private final String self;
    private final Cache<String, Long> departed;
    /** The caches watched, by name: a cache defined again is watched again. */
    private final Map<String, Cache<?, ?>> watched = new ConcurrentHashMap<>();

    private DepartedNodes(String self, Cache<String, Long> departed) {
        this.self = self;
        this.departed = departed;
    }

    /** Joins the replicated record (blocking) on a started cache manager, as node {@code self}. */
    static DepartedNodes join(DefaultCacheManager manager, String self) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.clustering().cacheMode(CacheMode.REPL_SYNC);
        manager.defineConfiguration(CACHE, b.build());
        return new DepartedNodes(self, manager.getCache(CACHE));
    }

    /** Whether the running nodes saw {@code cache} go on without this node. */
    boolean wasAway(String nodeName, String cache) {
        return departed.containsKey(key(nodeName, cache));
    }

    /** This node is back with current data in these caches. */
    void back(String nodeName, Collection<String> caches) {
        caches.forEach(cache -> departed.remove(key(nodeName, cache)));
    }

    /** Records from now on every node that the started {@code cache} goes on without. */
    void watch(Cache<?, ?> cache) {
        if (watched.put(cache.getName(), cache) != cache) {
            cache.addListener(new Departures(cache.getName()));
        }
    }

    private static String key(String nodeName, String cache) {
        return nodeName + " " + cache;
    }

    /** Stops recording here without a cluster-wide shutdown of the record, which must not outlive the cluster. */
    void stop() {
        departed.stop();
    }

    @Listener(sync = false)
    public final class Departures {
        private final String cache;

        Departures(String cache) {
            this.cache = cache;
        }

        @TopologyChanged
        public void topologyChanged(TopologyChangedEvent<?, ?> event) {
            ConsistentHash before = event.getWriteConsistentHashAtStart();
            ConsistentHash after = event.getWriteConsistentHashAtEnd();
            if (event.isPre() || before == null || after == null || !departed.getStatus().allowInvocations()) {
                return;
            }
            Set<String> kept = after.getMembers().stream().map(Object::toString).collect(Collectors.toSet());
            ConsistentHash read = event.getReadConsistentHashAtEnd();
            // Read from once its share has come over: current again.
            if (read != null && read.getMembers().stream().map(Object::toString).anyMatch(self::equals)
                    && departed.containsKey(key(self, cache))) {
                departed.removeAsync(key(self, cache));
                LOG.infof("%s is current again in %s", self, cache);
            }
            before.getMembers().stream().map(Object::toString).filter(node -> !kept.contains(node))
                    .forEach(node -> departed.putAsync(key(node, cache), System.currentTimeMillis())
                            .whenComplete((v, e) -> {
                                if (e != null) {
                                    // Only when this node is stopping too: the nodes that go on record it.
                                    LOG.debugf("could not record that %s went on without %s: %s", cache, node, e);
                                }
                            }));
        }
    }
}
