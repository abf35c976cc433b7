package io.sluice.operator.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes a topic in its cluster what its {@link TopicSpec} says, through kafka-clients' {@link Admin}: creates it,
 * grows its partitions, sets and removes its configs. A spec it cannot apply (fewer partitions, another replication
 * factor) changes nothing, and is reported.
 */
final class TopicSync {

    private final Admin admin;
    private final long timeoutMs;

    TopicSync(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    TopicOutcome sync(String name, TopicSpec spec) throws TimeoutException, InterruptedException {
        try {
            Optional<TopicDescription> existing = describe(name);
            if (existing.isEmpty()) {
                create(name, spec);
                existing = describe(name);
                if (existing.isEmpty()) {
                    return TopicOutcome.notReady(TopicReason.Creating, "topic " + name + " is being created");
                }
            }
            TopicDescription topic = existing.get();
            String id = topic.topicId().toString();
            int partitions = topic.partitions().size();
            int replicas = topic.partitions().isEmpty() ? 0 : topic.partitions().get(0).replicas().size();
            // What cannot be done is refused before anything is applied: a spec is applied whole or not at all.
            if (spec.getPartitions() < partitions) {
                return TopicOutcome.refused(TopicReason.PartitionDecreaseNotSupported, "topic " + name + " has "
                        + partitions + " partitions; a topic cannot lose partitions, so spec.partitions must be at"
                        + " least " + partitions, id, partitions, replicas);
            }
            if (spec.getReplicas() != null && spec.getReplicas() != replicas) {
                return TopicOutcome.refused(TopicReason.ReplicationFactorChangeNotSupported, "topic " + name
                        + " has replication factor " + replicas + "; changing it to " + spec.getReplicas()
                        + " is not supported: set spec.replicas back to " + replicas, id, partitions, replicas);
            }
            if (spec.getPartitions() > partitions) {
                await(admin.createPartitions(Map.of(name, NewPartitions.increaseTo(spec.getPartitions()))).all());
            }
            alterConfigs(name, spec.getConfig());
            return TopicOutcome.synced("topic " + name + " matches the resource", id, spec.getPartitions(), replicas);
        } catch (InvalidReplicationFactorException e) {
            return TopicOutcome.notReady(TopicReason.InvalidReplicationFactor,
                    "the cluster refused replication factor " + spec.getReplicas() + ": " + e.getMessage());
        } catch (InvalidConfigurationException e) {
            return TopicOutcome.notReady(TopicReason.InvalidConfig,
                    "the cluster refused the topic's config: " + e.getMessage());
        }
    }

    /** Deletes the topic; true once it is gone. */
    boolean delete(String name) throws TimeoutException, InterruptedException {
        try {
            await(admin.deleteTopics(List.of(name)).all());
        } catch (UnknownTopicOrPartitionException e) {
            // gone already
        }
        return true;
    }

    private Optional<TopicDescription> describe(String name) throws TimeoutException, InterruptedException {
        try {
            return Optional.of(await(admin.describeTopics(List.of(name)).allTopicNames()).get(name));
        } catch (UnknownTopicOrPartitionException e) {
            return Optional.empty();
        }
    }

    private void create(String name, TopicSpec spec) throws TimeoutException, InterruptedException {
        NewTopic topic = new NewTopic(name, Optional.of(spec.getPartitions()),
                Optional.ofNullable(spec.getReplicas()).map(Integer::shortValue)).configs(spec.getConfig());
        try {
            await(admin.createTopics(List.of(topic)).all());
        } catch (TopicExistsException e) {
            // created meanwhile by someone else: compared with the spec like any existing topic
        }
    }

    /** Sets every config of the spec that differs, and removes every topic-level config the spec does not name. */
    private void alterConfigs(String name, Map<String, String> wanted) throws TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config actual = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
        Collection<AlterConfigOp> ops = new ArrayList<>();
        wanted.forEach((key, value) -> {
            ConfigEntry entry = actual.get(key);
            if (entry == null || !value.equals(entry.value())
                    || entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
            }
        });
        for (ConfigEntry entry : actual.entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !wanted.containsKey(entry.name())) {
                ops.add(new AlterConfigOp(new ConfigEntry(entry.name(), null), AlterConfigOp.OpType.DELETE));
            }
        }
        if (!ops.isEmpty()) {
            await(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
        }
    }

    /** The future's value; a Kafka error comes out as itself, not wrapped. */
    private <T> T await(KafkaFuture<T> future) throws TimeoutException, InterruptedException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
