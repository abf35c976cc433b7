package io.sluice.gateway;

import java.util.List;
import java.util.Optional;

import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Gateway settings ({@code sluice.*}), each overridable by environment variable. */
@ConfigMapping(prefix = "sluice")
public interface GatewayConfig {

    Gateway gateway();

    Coordinator coordinator();

    interface Gateway {
        @WithDefault("0.0.0.0")
        String host();

        /** The Kafka listener clients bootstrap from. */
        @WithDefault("" + GatewayContract.KAFKA_PORT)
        int port();

        /** The host clients are told to connect to (in Kubernetes: the gateway Service's name). */
        @WithDefault("127.0.0.1")
        String advertisedHost();

        /** The port clients are told to connect to; the listener's port when unset. */
        Optional<Integer> advertisedPort();

        /**
         * The largest Produce request read (Kafka's socket.request.max.bytes, whose default is 100 MiB for heaps of
         * gigabytes); every other request is held to 8 MiB.
         */
        @WithDefault("33554432")
        int maxRequestSize();

        /**
         * The most bytes of requests read and not yet answered, over every connection (Kafka's
         * queued.max.request.bytes): beyond it the gateway stops reading until some are answered.
         */
        @WithDefault("67108864")
        long maxHeldRequestBytes();

        Http http();
    }

    /** Limits of the HTTP API, so that no client can make the gateway hold more than they allow. */
    interface Http {
        /** The most records one produce request may carry. */
        @WithDefault("10000")
        int maxRecords();

        /** The most bytes of key, value and headers one produced record may carry (Kafka's max.request.size). */
        @WithDefault("1048576")
        int maxRecordSize();

        /** The most bytes of records one read may ask for. */
        @WithDefault("8388608")
        int maxFetchBytes();

        /** The longest a read may wait for records. */
        @WithDefault("30000")
        int maxWaitMs();

        /** How many reads may be in flight at once on one gateway; more are answered 429. */
        @WithDefault("256")
        int maxReads();
    }

    interface Coordinator {
        /** host:port of the coordinator replicas. */
        @WithDefault("127.0.0.1:" + CoordinatorContract.KAFKA_PORT)
        List<String> bootstrap();

        /** host:port of the coordinator replicas' HTTP ports, where HTTP consumer instances are kept. */
        @WithDefault("127.0.0.1:8090")
        List<String> httpBootstrap();
    }
}
