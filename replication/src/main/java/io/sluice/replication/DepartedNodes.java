package io.sluice.replication;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.jboss.logging.Logger;

/**
 * The nodes that left while the cluster went on, as the running nodes remember them: a node that finds itself here
 * when it starts has been away, and its stores are stale. Kept in memory only, replicated to every node, so that a
 * cluster that stopped completely remembers nothing and every node keeps its data.
 */
@Listener(sync = false)
final class DepartedNodes {

    private static final Logger LOG = Logger.getLogger(DepartedNodes.class);
    private static final String CACHE = "departed-nodes";

    private final DefaultCacheManager manager;
    private final Cache<String, Long> departed;

    private DepartedNodes(DefaultCacheManager manager, Cache<String, Long> departed) {
        this.manager = manager;
        this.departed = departed;
    }

    /** Joins the replicated record (blocking) on a started cache manager and starts recording departures. */
    static DepartedNodes join(DefaultCacheManager manager) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.clustering().cacheMode(CacheMode.REPL_SYNC);
        manager.defineConfiguration(CACHE, b.build());
        DepartedNodes nodes = new DepartedNodes(manager, manager.getCache(CACHE));
        manager.addListener(nodes);
        return nodes;
    }

    /** Whether the running nodes saw this node leave (or die) and went on without it. */
    boolean wasAway(String nodeName) {
        return departed.containsKey(nodeName);
    }

    /** This node is back with current data. */
    void back(String nodeName) {
        departed.remove(nodeName);
    }

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        for (Address member : event.getOldMembers()) {
            if (!event.getNewMembers().contains(member) && departed.getStatus().allowInvocations()) {
                departed.putAsync(member.toString(), System.currentTimeMillis()).whenComplete((v, e) -> {
                    if (e != null) {
                        // Only when this node is stopping too: the nodes that go on record it.
                        LOG.debugf("could not record the departure of %s: %s", member, e);
                    }
                });
            }
        }
    }

    /** Stops recording here without a cluster-wide shutdown of the record, which must not outlive the cluster. */
    void stop() {
        manager.removeListener(this);
        departed.stop();
    }
}
