package io.sluice.broker.leadership;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.Uuid;
import org.jboss.logging.Logger;

import io.sluice.broker.log.LogHost;
import io.sluice.broker.log.LogSettings;
import io.sluice.broker.log.PartitionId;
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.store.PartitionStore;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * The partitions this broker leads, following the coordinator's view: a partition whose leader becomes this broker
 * (or whose epoch moves) gets a freshly recovered {@link PartitionLog}; one led elsewhere now is closed at once.
 */
public final class PartitionLeaders {

    private static final Logger LOG = Logger.getLogger(PartitionLeaders.class);

    private record Slot(int leaderEpoch, int replicationFactor, CompletableFuture<PartitionLog> log) {
    }

    private final int brokerId;
    private final PartitionStore store;
    private final LogSettings defaults;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, LogSettings> topicSettings = new ConcurrentHashMap<>();
    private volatile ClusterView view = ClusterView.EMPTY;
    private volatile Supplier<CompletableFuture<?>> refresher = () -> CompletableFuture.completedFuture(null);
    private volatile Function<String, CompletableFuture<Map<String, String>>> configsLoader;
    private volatile BooleanSupplier leaseHeld = () -> true;
    private final LogHost host = new LogHost() {
        @Override
        public boolean leaseHeld() {
            return leaseHeld.getAsBoolean();
        }

        /** The next view opens it again ({@link #apply}), recovered from the store. */
        @Override
        public void gaveUp(PartitionLog failed) {
            LOG.infof("%s: will recover the log on the next metadata update", failed.id());
        }
    };

    /** {@code defaults}: the settings of a log whose topic sets none of its configs. */
    public PartitionLeaders(int brokerId, PartitionStore store, LogSettings defaults) {
        this.brokerId = brokerId;
        this.store = store;
        this.defaults = defaults;
        this.configsLoader = topic -> CompletableFuture.completedFuture(Map.of());
    }

    /**
     * How to ask the coordinator for a fresh view (it arrives through {@link #apply}) and for a topic's configs (those
     * set on the topic, by name), and whether this broker holds its leadership lease.
     */
    public void connect(Supplier<CompletableFuture<?>> refresher,
            Function<String, CompletableFuture<Map<String, String>>> configsLoader, BooleanSupplier leaseHeld) {
        this.refresher = refresher;
        this.configsLoader = configsLoader;
        this.leaseHeld = leaseHeld;
    }

    /** Completes once a fresh view from the coordinator has been applied. */
    public CompletableFuture<?> refresh() {
        return refresher.get();
    }

    public ClusterView view() {
        return view;
    }

    /** Follows a new view from the coordinator. */
    public synchronized void apply(ClusterView next) {
        ClusterView previous = view;
        view = next;
        if (previous == ClusterView.EMPTY) {
            removeStrayPartitions();
        }
        Set<String> led = new HashSet<>();
        for (TopicView topic : next.topics().values()) {
            for (PartitionView p : topic.partitions()) {
                if (p.leader() != brokerId) {
                    continue;
                }
                String key = key(topic.id(), p.partition());
                led.add(key);
                Slot slot = slots.get(key);
                if (slot == null || slot.leaderEpoch() != p.leaderEpoch() || failed(slot)) {
                    if (slot != null) {
                        slot.log().thenAccept(PartitionLog::close);
                    }
                    slots.put(key, open(topic, p));
                }
            }
        }
        for (Map.Entry<String, Slot> entry : Map.copyOf(slots).entrySet()) {
            if (led.contains(entry.getKey())) {
                continue;
            }
            slots.remove(entry.getKey());
            Slot slot = entry.getValue();
            slot.log().thenAccept(log -> {
                log.close();
                boolean deleted = previous.topic(Uuid.fromString(log.id().topicId())) != null
                        && next.topic(Uuid.fromString(log.id().topicId())) == null;
                if (deleted) {
                    LOG.infof("%s: topic deleted, removing its data", log.id());
                    store.deletePartition(slot.replicationFactor(), log.id().topicId(), log.id().partition());
                }
            });
        }
    }

    /**
     * Single-replica partitions stay in their broker's files whatever happens, so those of a topic deleted while this
     * broker was away are still there: the coordinator's first view tells which. Each is judged against the view of
     * the moment, in which a topic this broker has data of is always present.
     */
    private void removeStrayPartitions() {
        store.removeLocalPartitions(topicId -> view.topics().values().stream()
                .noneMatch(t -> t.id().toString().equals(topicId)))
                .whenComplete((removed, error) -> {
                    if (error != null) {
                        LOG.warnf("removing data of topics deleted while this broker was away failed: %s",
                                error.getMessage());
                    } else if (!removed.isEmpty()) {
                        LOG.infof("removed the data of partitions %s, of topics deleted while this broker was away",
                                removed);
                    }
                });
    }

    private static boolean failed(Slot slot) {
        return slot.log().isCompletedExceptionally() || (slot.log().isDone() && slot.log().join().isClosed());
    }

    private Slot open(TopicView topic, PartitionView p) {
        PartitionId id = new PartitionId(topic.id().toString(), topic.name(), p.partition());
        int rf = Math.max(1, p.replicas().size());
        CompletableFuture<PartitionLog> log = settingsOf(topic.name())
                .thenCompose(settings -> PartitionLog.open(id, rf, p.leaderEpoch(), store, settings, host));
        log.whenComplete((l, e) -> {
            if (e != null) {
                LOG.warnf("%s: taking leadership at epoch %d failed: %s", id, p.leaderEpoch(), e.getMessage());
            }
        });
        return new Slot(p.leaderEpoch(), rf, log);
    }

    /** The log of a partition this broker leads (it may still be recovering), or null if it leads it not. */
    public CompletableFuture<PartitionLog> log(Uuid topicId, int partition) {
        Slot slot = slots.get(key(topicId, partition));
        return slot == null ? null : slot.log();
    }

    /**
     * Stops appending to a partition led here (its pending appends are answered NOT_LEADER_OR_FOLLOWER); the next view
     * that still has this broker lead it opens the log again, recovered from the store.
     */
    public void stepDown(Uuid topicId, int partition) {
        Slot slot = slots.get(key(topicId, partition));
        if (slot != null) {
            slot.log().thenAccept(PartitionLog::close);
        }
    }

    public List<PartitionLog> openLogs() {
        return slots.values().stream()
                .filter(s -> s.log().isDone() && !s.log().isCompletedExceptionally())
                .map(s -> s.log().join())
                .filter(l -> !l.isClosed())
                .toList();
    }

    public int ledCount() {
        return slots.size();
    }

    public Set<String> ledTopics() {
        Set<String> names = new HashSet<>();
        openLogs().forEach(l -> names.add(l.id().topic()));
        return names;
    }

    /** A topic's configs as the coordinator describes them now, applied to its logs already open. */
    public void updateTopicConfigs(String topic, Map<String, String> configs) {
        LogSettings settings = defaults.withTopicConfigs(configs);
        topicSettings.put(topic, settings);
        openLogs().stream().filter(l -> l.id().topic().equals(topic)).forEach(l -> l.updateSettings(settings));
    }

    /** The topic's settings: known ones, or loaded from the coordinator before a first log of it opens. */
    private CompletableFuture<LogSettings> settingsOf(String topic) {
        LogSettings known = topicSettings.get(topic);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return configsLoader.apply(topic).thenApply(defaults::withTopicConfigs).exceptionally(e -> defaults)
                .thenApply(loaded -> {
                    topicSettings.putIfAbsent(topic, loaded);
                    return loaded;
                });
    }

    private static String key(Uuid topicId, int partition) {
        return topicId + ":" + partition;
    }

    public void closeAll() {
        slots.values().forEach(s -> s.log().thenAccept(PartitionLog::close));
        slots.clear();
    }
}
