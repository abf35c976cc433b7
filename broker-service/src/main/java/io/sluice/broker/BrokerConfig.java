package io.sluice.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Broker settings ({@code sluice.*}), each overridable by environment variable. */
@ConfigMapping(prefix = "sluice")
public interface BrokerConfig {

    /** Where the store keeps its files. */
    @WithDefault("data")
    Path dataDir();

    Broker broker();

    Coordinator coordinator();

    Security security();

    interface Security {
        /** The cluster's member secret ({@code ServiceContract.MEMBER_SECRET}); without it, no member checks. */
        Optional<String> memberSecret();
    }

    interface Broker {
        /** Broker id, 1 to 999, stable across restarts. */
        int id();

        @WithDefault("0.0.0.0")
        String host();

        @WithDefault("" + BrokerContract.KAFKA_PORT)
        int port();

        /** The address the gateway reaches this broker at. */
        @WithDefault("127.0.0.1")
        String advertisedHost();

        /**
         * The largest Produce request read (Kafka's socket.request.max.bytes); every other request is held to 8 MiB.
         * Requests come from the gateways, which hold clients to their own limit.
         */
        @WithDefault("33554432")
        int maxRequestSize();

        /**
         * The most bytes of requests read and not yet answered (Kafka's queued.max.request.bytes): beyond it the
         * broker stops reading until some are answered.
         */
        @WithDefault("67108864")
        long maxHeldRequestBytes();

        Jgroups jgroups();

        Store store();

        Cleaner cleaner();
    }

    interface Jgroups {
        @WithDefault("127.0.0.1")
        String bindAddress();

        @WithDefault("" + BrokerContract.JGROUPS_PORT)
        int bindPort();

        @WithDefault("127.0.0.1[" + BrokerContract.JGROUPS_PORT + "]")
        String initialHosts();

        /** When set, discovery uses DNS_PING on this name (a headless Service) instead of the static hosts. */
        Optional<String> dnsQuery();

        @WithDefault("sluice-brokers")
        String clusterName();
    }

    interface Store {
        /**
         * Memory the store's caches keep before they evict to disk; a quarter of the heap when not set (the old
         * generation fills and every collection is a full one when it is half).
         */
        Optional<Long> memoryMax();

        /** A chunk is written once it reaches this size even if the previous write is still under way. */
        @WithDefault("1048576")
        int chunkMaxBytes();

        /**
         * Bytes of recently written chunks the broker's partition leaders keep together to serve tailing consumers,
         * oldest given up first; a sixteenth of the heap when not set.
         */
        Optional<Long> recentBytes();

        /**
         * Bytes the broker's fetches may read at once, all consumers together (each is granted what is free, up to its
         * own maximum); an eighth of the heap when not set.
         */
        Optional<Long> fetchMemoryMax();
    }

    /** Log compaction, with Kafka's log cleaner defaults. */
    interface Cleaner {
        /** The offset map's memory: keys of the dirty part one pass can take (24 bytes each, 90 % full at most). */
        @WithDefault("16777216")
        long offsetMapBytes();

        /** The pause between rounds in milliseconds (Kafka's log.cleaner.backoff.ms). */
        @WithDefault("15000")
        long backoffMs();

        /** How long replaced chunks stay readable for reads already under way (Kafka's file.delete.delay.ms). */
        @WithDefault("60000")
        long deleteDelayMs();
    }

    interface Coordinator {
        /** host:port of the coordinator replicas. */
        @WithDefault("127.0.0.1:" + CoordinatorContract.KAFKA_PORT)
        List<String> bootstrap();
    }
}
