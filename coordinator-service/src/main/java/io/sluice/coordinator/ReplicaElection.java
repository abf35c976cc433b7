package io.sluice.coordinator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.sluice.coordinator.store.StateStore;

/**
 * Decides whether this replica is the active coordinator: the oldest member of the coordinators' view, and only while
 * that view holds a majority of the configured replicas and the replica is in touch with them
 * ({@link StateStore#inTouchWithMajority()}: cut off, it stands down before the others can elect another), so that the
 * two sides of a split never both act, and only once it holds the current state ({@link StateStore#hold()}: it takes
 * it first, or waits while that cannot be decided safely). Decisions run one at a time on a thread of their own, after
 * every view change, every change of what the replicas hold and every change of touch; a takeover that fails is tried
 * again. A replica that stood down takes over afresh from the replicated state.
 */
final class ReplicaElection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReplicaElection.class);
    private static final long RETRY_MS = 1000;

    private final StateStore store;
    private final int replicas;
    private final Consumer<Boolean> role;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "coordinator-election"));
    private volatile boolean active;

    /** @param role told {@code true} when this replica takes over, {@code false} when it must stop acting */
    ReplicaElection(StateStore store, int replicas, Consumer<Boolean> role) {
        this.store = store;
        this.replicas = replicas;
        this.role = role;
    }

    void start() {
        store.onViewChange(this::decideSoon);
        decideSoon();
    }

    private void decideSoon() {
        try {
            thread.execute(this::decide);
        } catch (RejectedExecutionException e) {
            // Closed: changes reported while the replica stops need no decision.
        }
    }

    /** Whether the view this replica is in holds a majority of the configured replicas. */
    boolean quorum() {
        return store.members().size() >= replicas / 2 + 1;
    }

    boolean active() {
        return active;
    }

    /** The replica that acts in this view (or would, given a quorum). */
    String oldest() {
        List<String> members = store.members();
        return members.isEmpty() ? "" : members.get(0);
    }

    private void decide() {
        boolean quorum = quorum();
        Optional<String> notCurrent;
        try {
            notCurrent = store.hold();
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not take the coordinator state; trying again");
            thread.schedule(this::decide, RETRY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        boolean inTouch = store.inTouchWithMajority();
        boolean next = store.oldest() && quorum && notCurrent.isEmpty() && inTouch;
        if (!quorum) {
            LOG.infof("waiting for a majority of the %d coordinator replicas; in view: %s", replicas,
                    store.members());
        } else if (!inTouch) {
            LOG.infof("out of touch with a majority of the %d coordinator replicas; in view: %s", replicas,
                    store.members());
        }
        if (next != active) {
            try {
                role.accept(next);
                active = next;
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not %s; trying again", next ? "take over as the active coordinator"
                        : "stand down");
                thread.schedule(this::decide, RETRY_MS, TimeUnit.MILLISECONDS);
                return;
            }
        }
        if (!quorum) {
            store.releaseInMinority();
        }
    }

    /** Stops deciding; stands down first if active. */
    @Override
    public void close() {
        thread.execute(() -> {
            if (active) {
                role.accept(false);
                active = false;
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
