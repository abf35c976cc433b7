package io.sluice.replication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.infinispan.remoting.transport.Address;

/**
 * Whether this node has lately heard from a majority of the cluster's configured members in its own view: it asks the
 * others for their view every half second, and a majority answering from the same view holds the lease for
 * {@link #LEASE_MS} from when it asked.
 * <p>
 * Why: cut off by a network partition, a node keeps its view until it suspects the others, and they drop it from
 * theirs at about the same time, so whatever it serves from memory meanwhile may already be stale. The others cannot
 * drop it sooner than FD_ALL3's timeout after the last heartbeat they had from it (5 s counted in 1 s intervals, so at
 * least 4 s) plus VERIFY_SUSPECT2's 1 s (see {@code jgroups-sluice.xml}). That heartbeat left at most 1 s before the
 * cut, and the last question answered was asked before the cut, so a lease of 2.5 s has run out at least 1.5 s before
 * the majority acts without this node. Durations come from this node's monotonic clock alone; a pause of this node
 * (GC, SIGSTOP) runs the lease out as well.
 */
public final class MajorityLease implements AutoCloseable {

    static final long LEASE_MS = 2_500;
    private static final long ASK_EVERY_MS = 500;

    private final ReplicatedNode node;
    private final int majority;
    private final ScheduledExecutorService timer;
    /** System.nanoTime() until which the lease holds; it never moves back. */
    private final AtomicLong heldUntil;
    private final List<Runnable> changes = new CopyOnWriteArrayList<>();
    /** Whether the lease was held at the last look, to tell the listeners when that changes. */
    private boolean wasHeld;

    private MajorityLease(ReplicatedNode node, int configuredMembers) {
        this.node = node;
        this.majority = configuredMembers / 2 + 1;
        this.heldUntil = new AtomicLong(System.nanoTime());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "majority-lease-" + node.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts asking; the lease is held from the first answers of a majority. */
    public static MajorityLease start(ReplicatedNode node, int configuredMembers) {
        MajorityLease lease = new MajorityLease(node, configuredMembers);
        lease.timer.scheduleWithFixedDelay(lease::ask, 0, ASK_EVERY_MS, TimeUnit.MILLISECONDS);
        return lease;
    }

    /** Calls {@code change} (on the lease's thread) whenever the lease is won or lost. */
    public void onChange(Runnable change) {
        changes.add(change);
    }

    /** Whether a majority in this node's view answered within the lease; always, for a cluster of one. */
    public boolean held() {
        return majority <= 1 || heldUntil.get() - System.nanoTime() > 0;
    }

    /** Tells the listeners if the lease was won or lost since the last look. */
    private synchronized void look() {
        boolean held = held();
        if (held != wasHeld) {
            wasHeld = held;
            changes.forEach(Runnable::run);
        }
    }

    private void ask() {
        look();
        long asked = System.nanoTime();
        long view = node.viewId();
        Address self = node.manager().getAddress();
        List<Address> members = node.manager().getMembers();
        if (members == null || members.size() < majority) {
            return;
        }
        List<Address> others = members.stream().filter(m -> !m.equals(self)).toList();
        AtomicInteger heard = new AtomicInteger(1);
        node.manager().executor().filterTargets(others).timeout(LEASE_MS, TimeUnit.MILLISECONDS)
                .submitConsumer(ViewProbe.INSTANCE, (member, theirView, failure) -> {
                    if (failure == null && theirView != null && theirView == view
                            && heard.incrementAndGet() == majority) {
                        heldUntil.accumulateAndGet(asked + TimeUnit.MILLISECONDS.toNanos(LEASE_MS),
                                (held, next) -> next - held > 0 ? next : held);
                        look();
                    }
                });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
