package io.sluice.coordinator.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.leadership.Leadership;
import io.sluice.coordinator.metadata.BrokerRecord;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.StateStore;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the coordinator knows as the cluster's controller: topics with their leaders and epochs, registered brokers
 * and which of them live, the producer ids handed out. Reads come from memory on any thread; every change runs on one
 * writer thread, is written to the replicated {@link StateStore} and only then becomes visible. Leaders move whenever
 * the live brokers change, by the rules of {@link Leadership}.
 */
public final class ClusterState implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterState.class);

    private final MetadataStore store;
    private final BrokerLiveness liveness;
    private final int maxPartitions;
    /** When things happen, in milliseconds: the wall clock, or a test's. */
    private final LongSupplier clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "coordinator-state"));
    private final Map<String, TopicRecord> topics = new ConcurrentHashMap<>();
    private final Map<Integer, BrokerRecord> brokers = new ConcurrentHashMap<>();
    private final AtomicLong brokerEpochs = new AtomicLong(System.currentTimeMillis());
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();
    /** New partitions of more than one replica whose leaders have not yet reported their owners, by topic id. */
    private final Map<String, Placement> placing = new ConcurrentHashMap<>();
    private String clusterId;
    private ProducerIds producerIds;
    private int rotation;

    public ClusterState(StateStore store, ObjectMapper json, ControllerSettings settings, LongSupplier clock) {
        this.store = new MetadataStore(store, json);
        this.liveness = new BrokerLiveness(settings.brokerSessionTimeoutMs());
        this.maxPartitions = settings.maxPartitions();
        this.clock = clock;
    }

    /** Loads the persisted state; known brokers get one session timeout to come back before they count as dead. */
    public void load() {
        clusterId = store.clusterId();
        store.topics().forEach(topic -> topics.put(topic.name(), topic));
        store.brokers().forEach(broker -> brokers.put(broker.id(), broker));
        liveness.restore(brokers.keySet(), clock.getAsLong());
        producerIds = new ProducerIds(store);
        LOG.infof("cluster %s: %d topics, %d known brokers", clusterId, topics.size(), brokers.size());
    }

    private <T> CompletableFuture<T> write(Callable<T> change) {
        CompletableFuture<T> result = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                result.complete(change.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    public String clusterId() {
        return clusterId;
    }

    public Collection<TopicRecord> topics() {
        return topics.values();
    }

    public Optional<TopicRecord> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicRecord> topic(Uuid id) {
        String wanted = id.toString();
        return topics.values().stream().filter(t -> t.id().equals(wanted)).findFirst();
    }

    public SortedSet<Integer> liveBrokers() {
        return liveness.live();
    }

    public List<BrokerRecord> brokers() {
        return brokers.values().stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
    }

    public Optional<BrokerRecord> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    // ---- topics

    /** Creates a topic; {@code validateOnly} checks without creating. */
    public CompletableFuture<TopicRecord> createTopic(String name, int partitions, int replicationFactor,
            Map<String, String> configs, boolean validateOnly) {
        return write(() -> {
            Topic.validate(name);
            if (topics.containsKey(name)) {
                throw new TopicExistsException("topic '" + name + "' already exists");
            }
            if (partitions < 1) {
                throw new InvalidPartitionsException("number of partitions must be at least 1, not " + partitions);
            }
            checkRoomFor(partitions, "topic '" + name + "'");
            List<Integer> live = List.copyOf(liveness.live());
            if (replicationFactor < 1 || replicationFactor > live.size()) {
                throw new InvalidReplicationFactorException("replication factor " + replicationFactor
                        + " is not possible with " + live.size() + " live brokers");
            }
            Map<String, String> checked = TopicConfigs.validate(configs);
            List<PartitionRecord> placed = Leadership.place(0, partitions, replicationFactor, live, rotation++);
            TopicRecord topic = new TopicRecord(name, Uuid.randomUuid().toString(), replicationFactor, checked,
                    List.copyOf(placed));
            if (!validateOnly) {
                save(topic);
                awaitOwners(topic, placed);
                LOG.infof("created topic %s: %d partitions, replication factor %d", name, partitions,
                        replicationFactor);
            }
            return topic;
        });
    }

    /** Called with the name of every topic deleted from now on (what refers to it must go too). */
    public void onTopicDeleted(Consumer<String> listener) {
        deletionListeners.add(listener);
    }

    public CompletableFuture<TopicRecord> deleteTopic(String name) {
        return write(() -> {
            TopicRecord topic = existing(name);
            store.removeTopic(name);
            topics.remove(name);
            Placement placement = placing.remove(topic.id());
            if (placement != null) {
                placement.done().complete(null);
            }
            LOG.infof("deleted topic %s", name);
            deletionListeners.forEach(l -> l.accept(name));
            return topic;
        });
    }

    /** Grows a topic to {@code count} partitions; never shrinks. */
    public CompletableFuture<TopicRecord> growPartitions(String name, int count, boolean validateOnly) {
        return write(() -> {
            TopicRecord topic = existing(name);
            int current = topic.partitions().size();
            if (count <= current) {
                throw new InvalidPartitionsException("topic '" + name + "' has " + current
                        + " partitions; the count can only grow, not become " + count);
            }
            checkRoomFor(count - current, "growing topic '" + name + "' to " + count + " partitions");
            List<Integer> live = List.copyOf(liveness.live());
            if (live.isEmpty()) {
                throw new InvalidReplicationFactorException("no live brokers to place new partitions on");
            }
            int replicationFactor = Math.min(topic.replicationFactor(), live.size());
            List<PartitionRecord> partitions = new ArrayList<>(topic.partitions());
            List<PartitionRecord> added = Leadership.place(current, count - current, replicationFactor, live,
                    rotation++);
            partitions.addAll(added);
            TopicRecord grown = topic.withPartitions(List.copyOf(partitions));
            if (!validateOnly) {
                save(grown);
                awaitOwners(grown, added);
            }
            return grown;
        });
    }

    /** Replaces the configs set on a topic (validated). */
    public CompletableFuture<TopicRecord> setConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        return write(() -> {
            TopicRecord changed = existing(name).withConfigs(TopicConfigs.validate(configs));
            if (!validateOnly) {
                save(changed);
            }
            return changed;
        });
    }

    /** On the writer thread, before anything is allocated for them: {@code more} partitions fit under the cap. */
    private void checkRoomFor(long more, String what) {
        long total = topics.values().stream().mapToLong(t -> t.partitions().size()).sum();
        if (total + more > maxPartitions) {
            throw new PolicyViolationException(what + " would bring the cluster to " + (total + more)
                    + " partitions, above its limit of " + maxPartitions + " (sluice.coordinator.max-partitions)");
        }
    }

    /** The topic of that name, on any thread; UNKNOWN_TOPIC_OR_PARTITION's exception if there is none. */
    public TopicRecord existing(String name) {
        TopicRecord topic = topics.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
        }
        return topic;
    }

    private void save(TopicRecord topic) {
        store.save(topic);
        topics.put(topic.name(), topic);
    }

    /** On the writer thread: every topic that {@code move} changes is saved. */
    private void moveLeaders(UnaryOperator<TopicRecord> move) {
        for (TopicRecord topic : List.copyOf(topics.values())) {
            TopicRecord moved = move.apply(topic);
            if (moved != topic) {
                save(moved);
            }
        }
    }

    // ---- brokers

    /** Registers a broker (a new process of it); answers its broker epoch. */
    public CompletableFuture<Long> register(int id, String host, int port, String incarnation) {
        return write(() -> {
            BrokerRecord previous = brokers.get(id);
            BrokerRecord broker = new BrokerRecord(id, host, port, incarnation, brokerEpochs.incrementAndGet());
            store.save(broker);
            brokers.put(id, broker);
            liveness.renew(id, clock.getAsLong());
            if (previous != null && !previous.incarnation().equals(incarnation)) {
                moveLeaders(topic -> Leadership.bumpLedBy(topic, id));
            }
            LOG.infof("broker %d registered at %s:%d", id, host, port);
            setLive(liveness.with(id, true));
            return broker.epoch();
        });
    }

    /**
     * A heartbeat: false if the broker must register (again) first. A broker that asks to be fenced (its store cannot
     * take writes) stays registered but leads nothing until its heartbeats stop asking.
     */
    public boolean heartbeat(int id, long epoch, boolean wantFence) {
        BrokerRecord broker = brokers.get(id);
        if (broker == null || broker.epoch() != epoch) {
            return false;
        }
        liveness.renew(id, clock.getAsLong());
        if (liveness.live().contains(id) == wantFence) {
            write(() -> {
                if (liveness.live().contains(id) == wantFence) {
                    LOG.infof(wantFence ? "broker %d asks to be fenced (its store cannot take writes); moving its"
                            + " partitions" : "broker %d may lead again", id);
                    setLive(liveness.with(id, !wantFence));
                }
                return null;
            });
        }
        return true;
    }

    public boolean knows(int id) {
        return brokers.containsKey(id);
    }

    /** A broker leaving cleanly: its partitions move now. */
    public CompletableFuture<Void> leave(int id) {
        return write(() -> {
            liveness.end(id);
            LOG.infof("broker %d is leaving", id);
            setLive(liveness.with(id, false));
            return null;
        });
    }

    /**
     * Declares dead every broker silent for the session timeout, and gives a leader to every partition without one that
     * is not waiting for its owners' report (as after a coordinator failover in the middle of a creation); called
     * periodically.
     */
    public CompletableFuture<Void> expireSilentBrokers() {
        return write(() -> {
            SortedSet<Integer> next = liveness.withoutSilent(clock.getAsLong());
            if (!next.equals(liveness.live())) {
                setLive(next);
            } else {
                moveLeaders(topic -> placing.containsKey(topic.id()) ? topic : Leadership.elect(topic, next));
            }
            return null;
        });
    }

    /** On the writer thread: a new live set, and leaders elected against it. */
    private void setLive(SortedSet<Integer> next) {
        liveness.set(next);
        moveLeaders(topic -> Leadership.elect(topic, next));
    }

    /**
     * Elections an administrator asked for (ElectLeaders), each decided by {@link Leadership#electOnRequest} against the
     * live brokers; a partition whose leader changes gets a new epoch, and its old leader steps down when it sees the
     * view, as in every other move. {@code partitions} by topic name, or null for every partition of every topic. A
     * new partition still waiting for the report of its data's owners is not elected: its leader is about to be the
     * broker that owns its data first.
     */
    public CompletableFuture<List<ElectionResult>> electLeaders(ElectionType type,
            Map<String, ? extends Collection<Integer>> partitions) {
        return write(() -> {
            Map<String, ? extends Collection<Integer>> asked = partitions;
            if (asked == null) {
                Map<String, List<Integer>> every = new TreeMap<>();
                topics.values().forEach(t -> every.put(t.name(),
                        t.partitions().stream().map(PartitionRecord::partition).toList()));
                asked = every;
            }
            List<ElectionResult> results = new ArrayList<>();
            asked.forEach((name, indexes) -> electInTopic(name, indexes, type, results));
            return results;
        });
    }

    /** On the writer thread: the elections asked for in one topic, which is saved once if any leader changed. */
    private void electInTopic(String name, Collection<Integer> indexes, ElectionType type,
            List<ElectionResult> results) {
        TopicRecord topic = topics.get(name);
        Placement placement = topic == null ? null : placing.get(topic.id());
        List<PartitionRecord> partitions = topic == null ? List.of() : new ArrayList<>(topic.partitions());
        boolean changed = false;
        for (int index : indexes) {
            String partitionName = name + "-" + index;
            if (topic == null || index < 0 || index >= partitions.size()) {
                results.add(new ElectionResult(name, index, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        topic == null ? "No such topic as " + name : "No such partition as " + partitionName));
                continue;
            }
            Errors unavailable = type == ElectionType.PREFERRED ? Errors.PREFERRED_LEADER_NOT_AVAILABLE
                    : Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE;
            if (placement != null && placement.waiting().contains(index)) {
                results.add(new ElectionResult(name, index, unavailable, partitionName
                        + " is new: the broker whose store owns its data first takes it once it reports"));
                continue;
            }
            PartitionRecord current = partitions.get(index);
            Leadership.Election election = Leadership.electOnRequest(current, type, liveness.live());
            String why = null;
            if (election.error() == unavailable) {
                why = type == ElectionType.PREFERRED
                        ? "The preferred leader " + current.replicas().get(0) + " of " + partitionName
                                + " is not live"
                        : "No live broker can lead " + partitionName;
            }
            if (election.partition() != current) {
                partitions.set(index, election.partition());
                changed = true;
                LOG.infof("%s: %s election, leader %d at epoch %d (was %d)", partitionName, type,
                        election.partition().leader(), election.partition().leaderEpoch(), current.leader());
            }
            results.add(new ElectionResult(name, index, election.error(), why));
        }
        if (changed) {
            save(topic.withPartitions(List.copyOf(partitions)));
        }
    }

    /** New partitions waiting for their leaders' first owner report; done once every one has had it. */
    private record Placement(Set<Integer> waiting, CompletableFuture<Void> done) {
    }

    /** On the writer thread: the new partitions (of more than one replica) wait for their leaders' owner reports. */
    private void awaitOwners(TopicRecord topic, List<PartitionRecord> added) {
        Set<Integer> waiting = ConcurrentHashMap.newKeySet();
        added.stream().filter(p -> p.replicas().size() > 1).forEach(p -> waiting.add(p.partition()));
        if (!waiting.isEmpty()) {
            placing.merge(topic.id(), new Placement(waiting, new CompletableFuture<>()), (old, more) -> {
                old.waiting().addAll(more.waiting());
                return old;
            });
        }
    }

    /**
     * Completes once the primary owner of every partition the topic got last (at creation or growth) has reported where
     * its data lives and leads it, so that clients told the topic exists find its leaders in place rather than about to
     * move; or after {@code wait}, once the partitions still without a leader have been given one by election.
     */
    public CompletableFuture<Void> placed(TopicRecord topic, Duration wait) {
        Placement placement = placing.get(topic.id());
        if (placement == null) {
            return CompletableFuture.completedFuture(null);
        }
        return placement.done().copy().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(timeout -> placeWithoutOwners(topic.id()));
    }

    /** Stops waiting for a topic's owner reports: its partitions without a leader are led by election. */
    private CompletableFuture<Void> placeWithoutOwners(String topicId) {
        return write(() -> {
            Placement placement = placing.remove(topicId);
            if (placement != null) {
                placement.done().complete(null);
            }
            moveLeaders(topic -> topic.id().equals(topicId) ? Leadership.elect(topic, liveness.live()) : topic);
            return null;
        });
    }

    private void ownersReported(String topicId, int partition) {
        Placement placement = placing.get(topicId);
        if (placement != null && placement.waiting().remove(partition) && placement.waiting().isEmpty()) {
            placing.remove(topicId);
            placement.done().complete(null);
        }
    }

    /**
     * A broker's reports of where the data of partitions it leads lives, or of new ones without a leader whose data it
     * owns first: each partition follows its owners ({@link Leadership#followOwners}). A report is refused when its
     * broker neither leads the partition at that epoch nor owns the data of a leaderless one first,
     * for a partition of one replica (its data stays in its broker's files), or when it names a broker that is not
     * registered; the whole request when the broker epoch is stale.
     */
    public CompletableFuture<List<OwnerReport.Outcome>> followOwners(int brokerId, long brokerEpoch,
            List<OwnerReport> reports) {
        return write(() -> {
            BrokerRecord broker = brokers.get(brokerId);
            if (broker == null || broker.epoch() != brokerEpoch) {
                throw new StaleBrokerEpochException("broker " + brokerId + " is not registered at epoch " + brokerEpoch);
            }
            Map<String, TopicRecord> byId = new HashMap<>();
            topics.values().forEach(t -> byId.put(t.id(), t));
            Set<String> changed = new HashSet<>();
            List<OwnerReport.Outcome> outcomes = new ArrayList<>(reports.size());
            for (OwnerReport report : reports) {
                TopicRecord topic = byId.get(report.topicId().toString());
                if (topic == null || report.partition() < 0 || report.partition() >= topic.partitions().size()) {
                    outcomes.add(new OwnerReport.Outcome(topic == null ? Errors.UNKNOWN_TOPIC_ID
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
                    continue;
                }
                PartitionRecord partition = topic.partitions().get(report.partition());
                Errors refusal = refusal(brokerId, report, partition);
                if (refusal != Errors.NONE) {
                    outcomes.add(new OwnerReport.Outcome(refusal, partition));
                    continue;
                }
                PartitionRecord placed = Leadership.followOwners(partition, report.owners(), liveness.live());
                if (placed != partition) {
                    List<PartitionRecord> partitions = new ArrayList<>(topic.partitions());
                    partitions.set(report.partition(), placed);
                    byId.put(topic.id(), topic.withPartitions(List.copyOf(partitions)));
                    changed.add(topic.id());
                    LOG.infof("%s-%d follows its data's owners %s: leader %d at epoch %d", topic.name(),
                            report.partition(), report.owners(), placed.leader(), placed.leaderEpoch());
                }
                outcomes.add(new OwnerReport.Outcome(Errors.NONE, placed));
                ownersReported(topic.id(), report.partition());
            }
            changed.forEach(id -> save(byId.get(id)));
            return outcomes;
        });
    }

    /** Its leader reports a partition, or the primary owner of one without a leader. */
    private Errors refusal(int brokerId, OwnerReport report, PartitionRecord partition) {
        List<Integer> owners = report.owners();
        boolean reporter = partition.leader() == brokerId
                || (partition.leader() < 0 && !owners.isEmpty() && owners.get(0) == brokerId);
        if (!reporter) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (partition.leaderEpoch() != report.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        boolean valid = partition.replicas().size() > 1 && !owners.isEmpty()
                && owners.size() <= partition.replicas().size()
                && owners.stream().distinct().count() == owners.size() && owners.stream().allMatch(brokers::containsKey);
        return valid ? Errors.NONE : Errors.INELIGIBLE_REPLICA;
    }

    // ---- producer ids

    public CompletableFuture<Long> nextProducerId() {
        return write(producerIds::next);
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
