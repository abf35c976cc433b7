package io.sluice.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.sluice.protocol.contract.CoordinatorContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Coordinator settings ({@code sluice.*}), each overridable by environment variable. */
@ConfigMapping(prefix = "sluice")
public interface CoordinatorConfig {

    /** Where the state store keeps its files. */
    @WithDefault("data")
    Path dataDir();

    Coordinator coordinator();

    Security security();

    /** Who may administer the cluster before anyone else does, and who is a member of it. */
    interface Security {
        /** The cluster's member secret ({@code ServiceContract.MEMBER_SECRET}); without it, no member checks. */
        Optional<String> memberSecret();

        /** The bootstrap super user. */
        @WithDefault("admin")
        String adminUser();

        /**
         * The bootstrap super user's password: when set, the active replica gives that user SCRAM-SHA-256 and
         * SCRAM-SHA-512 credentials for it whenever they are missing or do not verify against it.
         */
        Optional<String> adminPassword();

        /** The most ACLs the cluster keeps; a creation past it is refused (POLICY_VIOLATION). */
        @WithDefault("100000")
        int maxAcls();

        /** The most ACLs one DeleteAcls may remove; a filter taking it past this is refused (POLICY_VIOLATION). */
        @WithDefault("10000")
        int maxAclDeletions();
    }

    interface Coordinator {
        @WithDefault("0.0.0.0")
        String host();

        @WithDefault("" + CoordinatorContract.KAFKA_PORT)
        int port();

        /**
         * How many coordinator replicas the cluster has, 1 or 3. One is active at a time, and only while its view
         * holds a majority of them; the others stand by with the replicated state.
         */
        @WithDefault("1")
        int replicas();

        /** The address brokers and gateways reach the coordinator at. */
        @WithDefault("127.0.0.1")
        String advertisedHost();

        /** A broker silent this long is dead and its partitions get new leaders. */
        @WithDefault("6s")
        Duration brokerSessionTimeout();

        /** Partitions of an auto-created topic (Kafka's num.partitions). */
        @WithDefault("1")
        int defaultPartitions();

        /** Replication factor of topics that do not name one, capped at the live brokers. */
        @WithDefault("3")
        int defaultReplicationFactor();

        /**
         * The most partitions the cluster may hold over all its topics. Creating a topic or adding partitions past it
         * is refused with POLICY_VIOLATION: every partition costs memory in the coordinator and in each Metadata
         * answer, so one client asking for millions must not bring it down.
         */
        @WithDefault("50000")
        int maxPartitions();

        /** Kafka's auto.create.topics.enable. */
        @WithDefault("true")
        boolean autoCreateTopics();

        /**
         * The most bytes of requests read and not yet answered (Kafka's queued.max.request.bytes); each request is at
         * most 8 MiB (none the coordinator serves carries records).
         */
        @WithDefault("16777216")
        long maxHeldRequestBytes();

        Jgroups jgroups();

        Groups groups();

        HttpConsumers httpConsumers();

        Transactions transactions();
    }

    /** HTTP consumer instances (the Strimzi bridge's), kept here so that any gateway serves them. */
    interface HttpConsumers {
        /** An instance no request used for this long is deleted and its partitions go to the others. */
        @WithDefault("5m")
        Duration idleTimeout();

        /** The most instances the cluster keeps open at once; creating one more is refused (429). */
        @WithDefault("1000")
        int maxInstances();
    }

    interface Transactions {
        /** transaction.max.timeout.ms: a producer asking for a longer transaction timeout is refused. */
        @WithDefault("15m")
        Duration maxTimeout();
    }

    /** Consumer group settings, Kafka's {@code group.*} broker settings by other names. */
    interface Groups {
        /** group.min.session.timeout.ms: a shorter session a member asks for is refused. */
        @WithDefault("6s")
        Duration minSessionTimeout();

        /** group.max.session.timeout.ms */
        @WithDefault("30m")
        Duration maxSessionTimeout();

        /** group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for members. */
        @WithDefault("3s")
        Duration initialRebalanceDelay();

        /** offset.metadata.max.bytes */
        @WithDefault("4096")
        int maxOffsetMetadataBytes();

        /**
         * offsets.retention.minutes: the committed offsets of a group nobody is in are dropped once it has been empty
         * this long (those committed outside group management, this long after their commit), and the group with
         * them.
         */
        @WithDefault("7d")
        Duration offsetsRetention();

        /** offsets.retention.check.interval.ms: how often expired offsets are looked for. */
        @WithDefault("10m")
        Duration offsetsRetentionCheckInterval();

        /**
         * group.consumer.session.timeout.ms: a member of a consumer group protocol (KIP-848) group that sends no
         * heartbeat for this long is removed and its partitions go to the others.
         */
        @WithDefault("45s")
        Duration consumerSessionTimeout();

        /** group.consumer.heartbeat.interval.ms: how often such members heartbeat. */
        @WithDefault("5s")
        Duration consumerHeartbeatInterval();

        /**
         * group.consumer.max.size: members such a group takes; one more is refused GROUP_MAX_SIZE_REACHED. Kafka's is
         * unbounded; every membership change stores the whole group, so this one is not.
         */
        @WithDefault("1000")
        int consumerMaxSize();
    }

    interface Jgroups {
        @WithDefault("127.0.0.1")
        String bindAddress();

        @WithDefault("" + CoordinatorContract.JGROUPS_PORT)
        int bindPort();

        @WithDefault("127.0.0.1[" + CoordinatorContract.JGROUPS_PORT + "]")
        String initialHosts();

        Optional<String> dnsQuery();

        @WithDefault("sluice-coordinators")
        String clusterName();
    }
}
