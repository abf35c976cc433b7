package io.sluice.coordinator.controller;

import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

/**
 * Which registered brokers live: each heartbeat renews a broker's session, and a broker silent for the session timeout
 * is dead. The live set may be read on any thread; it changes on the cluster state's writer thread only.
 */
final class BrokerLiveness {

    private static final Logger LOG = Logger.getLogger(BrokerLiveness.class);

    private final long sessionTimeoutMs;
    private final Map<Integer, Long> lastHeartbeat = new ConcurrentHashMap<>();
    private volatile SortedSet<Integer> live = new TreeSet<>();

    BrokerLiveness(long sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** The brokers known when the state is loaded: each gets one session timeout from {@code now} to come back. */
    void restore(Collection<Integer> brokers, long now) {
        brokers.forEach(id -> lastHeartbeat.put(id, now));
        live = new TreeSet<>(brokers);
    }

    SortedSet<Integer> live() {
        return live;
    }

    void renew(int id, long now) {
        lastHeartbeat.put(id, now);
    }

    /** A broker that left cleanly has no session left to expire. */
    void end(int id) {
        lastHeartbeat.remove(id);
    }

    /** The live set with {@code id} in it, or out of it. */
    SortedSet<Integer> with(int id, boolean alive) {
        SortedSet<Integer> next = new TreeSet<>(live);
        if (alive) {
            next.add(id);
        } else {
            next.remove(id);
        }
        return next;
    }

    /** The live set without the brokers silent for longer than the session timeout at {@code now}. */
    SortedSet<Integer> withoutSilent(long now) {
        SortedSet<Integer> next = new TreeSet<>(live);
        for (Integer id : live) {
            Long last = lastHeartbeat.get(id);
            if (last == null || now - last > sessionTimeoutMs) {
                LOG.warnf("broker %d missed its session timeout of %d ms; moving its partitions", id,
                        sessionTimeoutMs);
                next.remove(id);
            }
        }
        return next;
    }

    void set(SortedSet<Integer> next) {
        live = next;
    }
}
