package io.sluice.coordinator.controller;

import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.sluice.coordinator.concurrent.StallDetector;

/**
 * Which registered brokers live: each heartbeat renews a broker's session, and a broker silent for the session timeout
 * is dead. Silence is only judged while the coordinator itself runs: when its check notices that it did not run for
 * longer than half a session timeout, every broker gets a fresh session instead. The live set may be read on any
 * thread; it changes on the cluster state's writer thread only.
 */
final class BrokerLiveness {

    private static final Logger LOG = Logger.getLogger(BrokerLiveness.class);
    /**
     * A gap between checks that is never a stall, however short the session timeout: the active replica checks every
     * 500 ms, and a tolerance near that would take every late check for a stall and let no broker ever die.
     */
    private static final long MIN_STALL_MS = 2_000;

    private final long sessionTimeoutMs;
    private final StallDetector stalls;
    private final Map<Integer, Long> lastHeartbeat = new ConcurrentHashMap<>();
    private volatile SortedSet<Integer> live = new TreeSet<>();

    BrokerLiveness(long sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.stalls = new StallDetector(Math.max(sessionTimeoutMs / 2, MIN_STALL_MS));
    }

    /**
     * The brokers known when the state is loaded (a replica taking over): each gets two session timeouts from
     * {@code now} to find it. A broker still waiting on the former active replica, paused or cut off with its
     * connection open, gives up on it only after a heartbeat's answer timeout (3 s), then tries the replicas in turn;
     * with one session, brokers were declared dead 6 s into a takeover and their partitions moved and moved back.
     */
    void restore(Collection<Integer> brokers, long now) {
        brokers.forEach(id -> lastHeartbeat.put(id, now + sessionTimeoutMs));
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

    /**
     * The live set without the brokers silent for longer than the session timeout at {@code now}; called periodically.
     * After a stall of the coordinator's own every live broker gets a fresh session, and none is dead.
     */
    SortedSet<Integer> withoutSilent(long now) {
        long stall = stalls.stallBefore(now);
        if (stall > 0) {
            LOG.warnf("the coordinator did not check its brokers for %d ms (was it paused?); every broker gets a fresh"
                    + " session of %d ms instead of being judged across that", stall, sessionTimeoutMs);
            live.forEach(id -> lastHeartbeat.put(id, now));
            return live;
        }
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
