package io.sluice.coordinator.controller;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.jboss.logging.Logger;

import io.sluice.coordinator.leadership.Leadership;
import io.sluice.coordinator.metadata.BrokerRecord;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.StateStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the coordinator knows: topics with their leaders and epochs, registered brokers and which of them live, the
 * producer-id counter. Reads come from memory on any thread; every change runs on one writer thread, is written to the
 * replicated {@link StateStore} and only then becomes visible.
 */
public final class ClusterState implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterState.class);
    private static final String CLUSTER_ID = "cluster-id";
    private static final String PRODUCER_IDS = "producer-ids";
    private static final String TOPIC = "topic/";
    private static final String BROKER = "broker/";
    /** Producer ids are reserved from the store in blocks, so not every InitProducerId writes. */
    private static final long PRODUCER_ID_BLOCK = 1000;

    private final StateStore store;
    private final ObjectMapper json;
    private final long sessionTimeoutMs;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "coordinator-state"));
    private final Map<String, TopicRecord> topics = new ConcurrentHashMap<>();
    private final Map<Integer, BrokerRecord> brokers = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastHeartbeat = new ConcurrentHashMap<>();
    private final AtomicLong brokerEpochs = new AtomicLong(System.currentTimeMillis());
    private volatile SortedSet<Integer> live = new TreeSet<>();
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();
    private String clusterId;
    private long nextProducerId;
    private long producerIdLimit;
    private int rotation;

    public ClusterState(StateStore store, ObjectMapper json, long sessionTimeoutMs) {
        this.store = store;
        this.json = json;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** Loads the persisted state; known brokers get one session timeout to come back before they count as dead. */
    public void load() {
        clusterId = store.get(CLUSTER_ID).orElseGet(() -> {
            String id = Uuid.randomUuid().toString();
            store.put(CLUSTER_ID, id);
            return id;
        });
        store.withPrefix(TOPIC).values().forEach(v -> {
            TopicRecord topic = fromJson(v, TopicRecord.class);
            topics.put(topic.name(), topic);
        });
        long now = System.currentTimeMillis();
        store.withPrefix(BROKER).values().forEach(v -> {
            BrokerRecord broker = fromJson(v, BrokerRecord.class);
            brokers.put(broker.id(), broker);
            lastHeartbeat.put(broker.id(), now);
        });
        live = new TreeSet<>(brokers.keySet());
        producerIdLimit = store.get(PRODUCER_IDS).map(Long::parseLong).orElse(0L);
        nextProducerId = producerIdLimit;
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
        return live;
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
            List<Integer> liveList = List.copyOf(live);
            if (replicationFactor < 1 || replicationFactor > liveList.size()) {
                throw new InvalidReplicationFactorException("replication factor " + replicationFactor
                        + " is not possible with " + liveList.size() + " live brokers");
            }
            Map<String, String> checked = TopicConfigs.validate(configs);
            List<List<Integer>> assignment = Leadership.assign(partitions, replicationFactor, liveList, rotation++);
            List<PartitionRecord> records = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                records.add(new PartitionRecord(p, assignment.get(p).get(0), 0, List.copyOf(assignment.get(p))));
            }
            TopicRecord topic = new TopicRecord(name, Uuid.randomUuid().toString(), replicationFactor, checked,
                    List.copyOf(records));
            if (!validateOnly) {
                save(topic);
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
            TopicRecord topic = topics.get(name);
            if (topic == null) {
                throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
            }
            store.remove(TOPIC + name);
            topics.remove(name);
            LOG.infof("deleted topic %s", name);
            deletionListeners.forEach(l -> l.accept(name));
            return topic;
        });
    }

    /** Grows a topic to {@code count} partitions; never shrinks. */
    public CompletableFuture<TopicRecord> growPartitions(String name, int count, boolean validateOnly) {
        return write(() -> {
            TopicRecord topic = topics.get(name);
            if (topic == null) {
                throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
            }
            int current = topic.partitions().size();
            if (count <= current) {
                throw new InvalidPartitionsException("topic '" + name + "' has " + current
                        + " partitions; the count can only grow, not become " + count);
            }
            List<Integer> liveList = List.copyOf(live);
            if (liveList.isEmpty()) {
                throw new InvalidReplicationFactorException("no live brokers to place new partitions on");
            }
            int rf = Math.min(topic.replicationFactor(), liveList.size());
            List<List<Integer>> assignment = Leadership.assign(count - current, rf, liveList, rotation++);
            List<PartitionRecord> partitions = new ArrayList<>(topic.partitions());
            for (int i = 0; i < assignment.size(); i++) {
                partitions.add(new PartitionRecord(current + i, assignment.get(i).get(0), 0,
                        List.copyOf(assignment.get(i))));
            }
            TopicRecord grown = topic.withPartitions(List.copyOf(partitions));
            if (!validateOnly) {
                save(grown);
            }
            return grown;
        });
    }

    /** Replaces the configs set on a topic (validated). */
    public CompletableFuture<TopicRecord> setConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        return write(() -> {
            TopicRecord topic = topics.get(name);
            if (topic == null) {
                throw new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
            }
            TopicRecord changed = topic.withConfigs(TopicConfigs.validate(configs));
            if (!validateOnly) {
                save(changed);
            }
            return changed;
        });
    }

    private void save(TopicRecord topic) {
        store.put(TOPIC + topic.name(), toJson(topic));
        topics.put(topic.name(), topic);
    }

    // ---- brokers

    /** Registers a broker (a new process of it); answers its broker epoch. */
    public CompletableFuture<Long> register(int id, String host, int port, String incarnation) {
        return write(() -> {
            BrokerRecord previous = brokers.get(id);
            BrokerRecord broker = new BrokerRecord(id, host, port, incarnation, brokerEpochs.incrementAndGet());
            store.put(BROKER + id, toJson(broker));
            brokers.put(id, broker);
            lastHeartbeat.put(id, System.currentTimeMillis());
            if (previous != null && !previous.incarnation().equals(incarnation)) {
                for (TopicRecord topic : List.copyOf(topics.values())) {
                    TopicRecord bumped = Leadership.bumpLedBy(topic, id);
                    if (bumped != topic) {
                        save(bumped);
                    }
                }
            }
            LOG.infof("broker %d registered at %s:%d", id, host, port);
            setLive(withBroker(id, true));
            for (TopicRecord topic : List.copyOf(topics.values())) {
                TopicRecord preferred = Leadership.preferLeader(topic, id);
                if (preferred != topic) {
                    save(preferred);
                }
            }
            return broker.epoch();
        });
    }

    /** A heartbeat: false if the broker must register (again) first. */
    public boolean heartbeat(int id, long epoch) {
        BrokerRecord broker = brokers.get(id);
        if (broker == null || broker.epoch() != epoch) {
            return false;
        }
        lastHeartbeat.put(id, System.currentTimeMillis());
        if (!live.contains(id)) {
            write(() -> {
                setLive(withBroker(id, true));
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
            lastHeartbeat.remove(id);
            LOG.infof("broker %d is leaving", id);
            setLive(withBroker(id, false));
            return null;
        });
    }

    /** Declares dead every broker silent for the session timeout. */
    public CompletableFuture<Void> expireSilentBrokers(long now) {
        return write(() -> {
            SortedSet<Integer> next = new TreeSet<>(live);
            for (Integer id : live) {
                Long last = lastHeartbeat.get(id);
                if (last == null || now - last > sessionTimeoutMs) {
                    LOG.warnf("broker %d missed its session timeout of %d ms; moving its partitions", id,
                            sessionTimeoutMs);
                    next.remove(id);
                }
            }
            if (!next.equals(live)) {
                setLive(next);
            }
            return null;
        });
    }

    private SortedSet<Integer> withBroker(int id, boolean alive) {
        SortedSet<Integer> next = new TreeSet<>(live);
        if (alive) {
            next.add(id);
        } else {
            next.remove(id);
        }
        return next;
    }

    /** On the writer thread: a new live set, and leaders elected against it. */
    private void setLive(SortedSet<Integer> next) {
        live = next;
        for (TopicRecord topic : List.copyOf(topics.values())) {
            TopicRecord elected = Leadership.elect(topic, next);
            if (elected != topic) {
                save(elected);
            }
        }
    }

    // ---- producer ids

    public CompletableFuture<Long> nextProducerId() {
        return write(() -> {
            if (nextProducerId >= producerIdLimit) {
                producerIdLimit = nextProducerId + PRODUCER_ID_BLOCK;
                store.put(PRODUCER_IDS, Long.toString(producerIdLimit));
            }
            return nextProducerId++;
        });
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T fromJson(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable state entry: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
