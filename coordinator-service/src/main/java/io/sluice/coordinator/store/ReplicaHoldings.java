package io.sluice.coordinator.store;

import java.util.HashMap;
import java.util.Map;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.annotation.TopologyChanged;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.infinispan.notifications.cachelistener.event.TopologyChangedEvent;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;

import io.sluice.coordinator.store.StateSource.Holding;

/**
 * What each running replica holds, as it told the others: its {@link StateRecord} and whether it runs the state. In memory
 * only, replicated to every replica; a replica that leaves is forgotten, and one that starts tells
 * again from its files. Each side of a network split forgets the other side's replicas, and Infinispan does not
 * reconcile the sides' copies when they merge, so every replica tells again after each change of the record's members.
 */
@Listener(sync = false)
final class ReplicaHoldings {

    private static final String CACHE = "coordinator-holdings";

    private final Cache<String, String> told;

    private ReplicaHoldings(Cache<String, String> told) {
        this.told = told;
    }

    /** Joins the replicated record (blocking) and starts forgetting the replicas that leave. */
    static ReplicaHoldings join(DefaultCacheManager manager) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.clustering().cacheMode(CacheMode.REPL_SYNC);
        manager.defineConfiguration(CACHE, b.build());
        ReplicaHoldings holdings = new ReplicaHoldings(manager.getCache(CACHE));
        manager.addListener(holdings);
        return holdings;
    }

    /** Tells every replica what this one holds now. */
    void tell(String replica, Holding holding) {
        told.putAsync(replica, holding.record().encode() + " " + holding.running());
    }

    Map<String, Holding> all() {
        Map<String, Holding> all = new HashMap<>();
        told.forEach((replica, text) -> {
            int running = text.lastIndexOf(' ');
            all.put(replica, new Holding(StateRecord.decode(text.substring(0, running)),
                    Boolean.parseBoolean(text.substring(running + 1))));
        });
        return all;
    }

    /** Calls {@code retell} after each change of the replicas that share the record (a join, a leave, a merge). */
    void onMembersChange(Runnable retell) {
        told.addListener(new MembersWatcher(retell));
    }

    /** Calls {@code change} whenever a replica tells something new. */
    void onChange(Runnable change) {
        told.addListener(new ChangeWatcher(change));
    }

    // A replica that left no longer runs anything: what it told must not stand for it when it comes back.
    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        for (Address member : event.getOldMembers()) {
            if (!event.getNewMembers().contains(member) && told.getStatus().allowInvocations()) {
                told.removeAsync(member.toString());
            }
        }
    }

    @Listener(sync = false)
    public static final class MembersWatcher {
        private final Runnable retell;

        MembersWatcher(Runnable retell) {
            this.retell = retell;
        }

        @TopologyChanged
        public void changed(TopologyChangedEvent<String, String> event) {
            if (!event.isPre()) {
                retell.run();
            }
        }
    }

    @Listener(sync = false)
    public static final class ChangeWatcher {
        private final Runnable change;

        ChangeWatcher(Runnable change) {
            this.change = change;
        }

        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        public void changed(CacheEntryEvent<String, String> event) {
            if (!event.isPre()) {
                change.run();
            }
        }
    }
}
