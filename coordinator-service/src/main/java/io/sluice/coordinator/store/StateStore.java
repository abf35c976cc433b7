package io.sluice.coordinator.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.jboss.logging.Logger;

import io.sluice.coordinator.store.StateSource.Holding;
import io.sluice.coordinator.store.StateSource.Plan;
import io.sluice.replication.MajorityLease;
import io.sluice.replication.NodeSettings;
import io.sluice.replication.ReplicatedNode;

/**
 * The coordinators' shared, persistent state: one REPL_SYNC Infinispan cache of JSON documents, written through to a
 * SoftIndexFileStore, so every coordinator replica holds all of it and a restart finds it on disk.
 * <p>
 * Which files the state comes from is decided, not left to whichever replica starts first: next to its files every
 * replica records the {@link StateVersion} they hold ({@link StateRecord}), and the state runs only once
 * {@link #hold()} found where to take it from ({@link StateSource}). A replica joining replicas that run it empties its
 * files and takes theirs; when nobody runs it, it starts from the newest files of a majority of the replicas. So a
 * replica that was away, even one restarted first and alone after the others stopped, never brings back what was
 * deleted while it was away, nor hides what was written.
 * <p>
 * A write succeeds only from a view holding a majority of the replicas, and only if this replica saw no view without
 * one while it was under way. Cut off from the others, a replica's writes first wait for replicas that cannot answer;
 * when its view shrinks to a minority, Infinispan would retry them among the replicas left and complete them there,
 * on this replica's files alone, which the majority then never sees (and this replica empties when it comes back).
 * Such a write fails instead ({@link NotInMajorityException}), so no client is told it is done.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StateStore.class);
    private static final String CACHE = "coordinator-state";

    private final ReplicatedNode node;
    private final int replicas;
    private final Path recordFile;
    private final ReplicaHoldings holdings;
    private final MajorityLease lease;
    private final Object recording = new Object();
    private volatile StateRecord record;
    private volatile Cache<String, String> cache;
    private volatile Optional<String> notCurrent = Optional.of("not started");
    /** How many views without a majority this replica has seen: a write under way when one comes fails. */
    private final AtomicLong minorityViews = new AtomicLong();

    private StateStore(ReplicatedNode node, int replicas, Path recordFile, ReplicaHoldings holdings) {
        this.node = node;
        this.replicas = replicas;
        this.recordFile = recordFile;
        this.holdings = holdings;
        this.lease = MajorityLease.start(node, replicas);
        StateRecord recorded = StateRecord.read(recordFile);
        // A replica the running ones went on without is stale whatever its files say.
        this.record = node.wasAway(CACHE) ? recorded.emptied(StateVersion.NONE) : recorded;
    }

    /**
     * Starts this replica's node and tells the others the version of its files (blocking); the state itself runs
     * once {@link #hold()} finds where to take it from.
     *
     * @param replicas how many replicas the cluster is configured with: a majority of them decides
     */
    public static StateStore start(NodeSettings settings, int replicas) {
        ReplicatedNode node = ReplicatedNode.start(settings);
        try {
            StateStore store = new StateStore(node, replicas, settings.dataDir().resolve(CACHE + ".record"),
                    ReplicaHoldings.join(node.manager()));
            node.manager().addListener(store.new ViewRecorder());
            store.holdings.onMembersChange(store::retell);
            store.retell();
            LOG.infof("state replica %s is in %s with %s; its files hold state %s (newest known: %s)", node.name(),
                    settings.clusterName(), store.members(), store.record.held(), store.record.known());
            return store;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /**
     * Takes or starts the state when it can (blocking while it comes over from the others), then says why this
     * replica must not act on it; empty when it holds the current state. Call it from one thread, after every
     * change {@link #onViewChange} reports.
     */
    public synchronized Optional<String> hold() {
        if (cache == null) {
            Plan plan = StateSource.plan(node.name(), members(), told(), replicas);
            switch (plan.step()) {
                // A wall-clock epoch as well: should two lineages ever get the same number, the later one wins.
                case FORM -> open(false, Math.max(plan.from().epoch(), System.currentTimeMillis()), plan);
                case JOIN -> open(true, plan.from().epoch(), plan);
                case WAIT -> {
                    return notCurrent(Optional.of(plan.reason()));
                }
            }
        }
        return notCurrent(StateSource.whyNotAct(node.name(), members(), told(), replicas));
    }

    /** What every replica told, this one's own holding as it is now (what it told may not have come round yet). */
    private Map<String, Holding> told() {
        Map<String, Holding> told = holdings.all();
        told.put(node.name(), new Holding(record, running()));
        return told;
    }

    /** Why this replica does not hold the current state, as {@link #hold()} last found; empty when it does. */
    public Optional<String> notCurrent() {
        return notCurrent;
    }

    private Optional<String> notCurrent(Optional<String> reason) {
        if (!reason.equals(notCurrent)) {
            reason.ifPresent(r -> LOG.infof("coordinator replica %s does not serve: %s", node.name(), r));
        }
        notCurrent = reason;
        return reason;
    }

    private void open(boolean empty, long epoch, Plan plan) {
        if (empty) {
            // Before the files go: a crash while the state comes over must leave no claim to the old files, and
            // the knowledge that newer state than they held is elsewhere.
            record(record.emptied(plan.from()));
        }
        ConfigurationBuilder config = new ConfigurationBuilder();
        config.clustering().cacheMode(CacheMode.REPL_SYNC).remoteTimeout(15_000);
        if (node.manager().getCacheConfiguration(CACHE) != null) {
            node.manager().undefineConfiguration(CACHE);
        }
        // Starting blocks until the whole state has come over from the replicas running it.
        node.manager().defineConfiguration(CACHE, node.fileStore(config, CACHE, true, empty).build());
        Cache<String, String> started = node.manager().getCache(CACHE);
        if (empty && started.getAdvancedCache().getDistributionManager().getCacheTopology().getMembers().size() < 2) {
            // The replicas it was to take the state from left meanwhile: this one must not run an empty state.
            started.stop();
            throw new IllegalStateException("the replicas running the state left before it came over");
        }
        synchronized (recording) {
            cache = started;
            record(record.holding(new StateVersion(epoch, node.viewId())));
        }
        node.caughtUp();
        LOG.infof("state replica %s runs the state %s (%s)%s", node.name(), record.held(), plan.reason(),
                empty ? "; it emptied its files and took the state from the others" : ", from its own files");
    }

    private void record(StateRecord next) {
        synchronized (recording) {
            next.write(recordFile);
            record = next;
            retell();
        }
    }

    /** Tells every replica what this one holds now. */
    private void retell() {
        synchronized (recording) {
            holdings.tell(node.name(), new Holding(record, cache != null));
        }
    }

    /**
     * Stops running the state while this replica's view holds no majority (call it once it acts no more): Infinispan
     * does not reconcile the two sides of a split when they merge, so what this replica's copy missed, or wrote alone
     * and never acknowledged, would stay. Its files stay too, with their version; when the views merge, it empties
     * them and takes the state from the replicas running it, as a replica back from away does ({@link #hold()}).
     */
    public synchronized void releaseInMinority() {
        if (cache == null || members().size() >= StateSource.majority(replicas)) {
            return;
        }
        synchronized (recording) {
            Cache<String, String> released = cache;
            cache = null;
            released.stop();
            retell();
        }
        LOG.infof("state replica %s no longer runs the state: its view %s holds no majority of the %d replicas",
                node.name(), members(), replicas);
    }

    /** The version of the state in this replica's files. */
    public StateVersion version() {
        return record.held();
    }

    /** Whether this replica runs the state (it may still be {@link #notCurrent()}). */
    public boolean running() {
        return cache != null;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(cache().get(key));
    }

    public void put(String key, String value) {
        inMajority(() -> cache().put(key, value));
    }

    public void remove(String key) {
        inMajority(() -> cache().remove(key));
    }

    /** Writes and removes entries together; completes once every replica of a majority view holds the change. */
    public CompletableFuture<Void> changeAsync(Map<String, String> puts, Collection<String> removals) {
        return inMajority(() -> {
            List<CompletableFuture<?>> changes = new ArrayList<>();
            if (!puts.isEmpty()) {
                changes.add(cache().putAllAsync(puts));
            }
            for (String key : removals) {
                changes.add(cache().removeAsync(key));
            }
            return CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new));
        });
    }

    private void inMajority(Runnable write) {
        long seen = minorityViews.get();
        requireMajority(seen);
        write.run();
        requireMajority(seen);
    }

    private <T> CompletableFuture<T> inMajority(Supplier<CompletableFuture<T>> write) {
        long seen = minorityViews.get();
        try {
            requireMajority(seen);
        } catch (NotInMajorityException e) {
            return CompletableFuture.failedFuture(e);
        }
        return write.get().thenApply(done -> {
            requireMajority(seen);
            return done;
        });
    }

    private void requireMajority(long seen) {
        List<String> view = members();
        if (minorityViews.get() != seen || view.size() < StateSource.majority(replicas)) {
            throw new NotInMajorityException(String.format(
                    "coordinator replica %s lost sight of a majority of the %d replicas (in view: %s): the write is "
                            + "not acknowledged",
                    node.name(), replicas, view));
        }
    }

    /** Every entry whose key starts with {@code prefix}. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new HashMap<>();
        cache().entrySet().forEach(e -> {
            if (e.getKey().startsWith(prefix)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    private Cache<String, String> cache() {
        Cache<String, String> c = cache;
        if (c == null) {
            throw new IllegalStateException("coordinator replica " + node.name() + " does not run the state yet");
        }
        return c;
    }

    /** This replica's node, for tests that cut it off from the others. */
    ReplicatedNode node() {
        return node;
    }

    /**
     * Whether a majority of the replicas in this one's view answered it lately ({@link MajorityLease}): a replica cut
     * off from them loses this before they can drop it from their view and act without it, so the active replica
     * answers nothing from memory once it is gone.
     */
    public boolean inTouchWithMajority() {
        return lease.held();
    }

    /** The replicas in the current view, oldest first. */
    public List<String> members() {
        return node.members();
    }

    /** Whether this replica is the oldest in the current view. */
    public boolean oldest() {
        return node.oldest();
    }

    /**
     * Calls {@code change} after every change of the view, whenever a replica tells what state it holds, and whenever
     * this one gets in or out of touch with a majority.
     */
    public void onViewChange(Runnable change) {
        node.onViewChange(change);
        holdings.onChange(change);
        lease.onChange(change);
    }

    @Override
    public void close() {
        lease.close();
        node.close();
    }

    /**
     * Records each view holding a majority while this replica runs the state. Only such a view writes, and a replica
     * that left is not in it: the ones that go on record a newer version than its files hold before they write
     * without it. It also counts the views without a majority, which fail the writes under way. A synchronous
     * listener, so both happen as the view is installed, before Infinispan can retry a write among the replicas left.
     */
    @Listener(sync = true)
    public final class ViewRecorder {

        @ViewChanged
        @Merged
        public void viewChanged(ViewChangedEvent event) {
            if (event.getNewMembers().size() < StateSource.majority(replicas)) {
                minorityViews.incrementAndGet();
            }
            synchronized (recording) {
                if (cache != null && event.getNewMembers().size() >= StateSource.majority(replicas)
                        && event.getViewId() > record.held().view()) {
                    record(record.holding(record.held().at(event.getViewId())));
                }
            }
        }
    }
}
