package io.sluice.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.ClientAuth;

/** Gateway settings ({@code sluice.*}), each overridable by environment variable. */
@ConfigMapping(prefix = "sluice")
public interface GatewayConfig {

    Gateway gateway();

    Coordinator coordinator();

    Security security();

    interface Security {
        /** The cluster's member secret ({@code ServiceContract.MEMBER_SECRET}), to log in to brokers and coordinators. */
        Optional<String> memberSecret();
    }

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

        /** How the listener secures its connections: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
        @WithDefault("PLAINTEXT")
        SecurityProtocol securityProtocol();

        /**
         * More Kafka listeners, by name, each on its own port with its own security protocol, as Kafka's
         * {@code listeners}: say, plaintext inside the cluster and SASL_SSL for everyone else.
         */
        Map<String, Listener> listeners();

        /** The certificate of every listener with TLS. */
        Tls tls();

        /** SASL on every listener with SASL. */
        Sasl sasl();

        /** Kafka's ACLs, checked on every request once enabled. */
        Authorization authorization();

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

        /**
         * Bytes the gateway's Kafka fetches may gather from the leaders at once, all clients together (each is granted
         * what is free, up to its own maximum); an eighth of the heap when not set.
         */
        Optional<Long> fetchMemoryMax();

        /**
         * Partitions the incremental fetch sessions of all clients may hold together (Kafka bounds its session cache by
         * max.incremental.fetch.session.cache.slots); past it, clients fetch in full, without a session.
         */
        @WithDefault("100000")
        long fetchSessionPartitionsMax();

        Http http();
    }

    interface Listener {
        int port();

        /** The port clients are told to connect to; the listener's port when unset. */
        Optional<Integer> advertisedPort();

        SecurityProtocol securityProtocol();

        /** Whether this listener asks clients for a certificate; {@code sluice.gateway.tls.client-auth} when unset. */
        Optional<ClientAuth> clientAuth();
    }

    interface Tls {
        /** The certificate chain, PEM; read again when the file changes. */
        Optional<Path> certificate();

        /** Its private key, PEM (PKCS#8 or PKCS#1). */
        Optional<Path> key();

        /** The CA certificates, PEM, that client certificates must chain to, for mutual TLS. */
        Optional<Path> clientCa();

        /** Whether clients must present a certificate (required), may (request), or are not asked (none). */
        @WithDefault("none")
        ClientAuth clientAuth();
    }

    interface Sasl {
        /** The mechanisms offered; PLAIN only on listeners with TLS unless {@link #plainWithoutTls()}. */
        @WithDefault("SCRAM-SHA-512,SCRAM-SHA-256,PLAIN")
        List<String> mechanisms();

        /** Whether PLAIN, which sends the password itself, may be offered on a listener without TLS. */
        @WithDefault("false")
        boolean plainWithoutTls();

        /**
         * The longest a SASL session lasts before the client must authenticate again on its connection (Kafka's
         * connections.max.reauth.ms); 0 for as long as the connection.
         */
        @WithDefault("0")
        long maxReauthMs();
    }

    interface Authorization {
        /** Whether requests are checked against the ACLs: then nothing is allowed that no ACL allows. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Principals allowed everything, as Kafka's super.users: {@code User:admin}. A listener without SASL or
         * client certificates has clients as {@code User:ANONYMOUS}.
         */
        Optional<List<String>> superUsers();
    }

    /** Limits of the HTTP API, so that no client can make the gateway hold more than they allow; and its logins. */
    interface Http {
        /**
         * Whether clients of the HTTPS port must log in with HTTP Basic as one of the SCRAM users (basic) or are
         * {@code User:ANONYMOUS} (none). Clients of the plain HTTP port are always anonymous: a password is never
         * taken without TLS.
         */
        @WithDefault("none")
        Authentication authentication();

        /**
         * The most bytes of request bodies the HTTP API holds at once, read and not yet answered, every connection
         * together: a body that does not fit is not read until earlier ones are answered. A sixteenth of the heap when
         * not set; a body is parsed and encoded into a few times its size.
         */
        Optional<Long> maxHeldBodyBytes();

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

        /**
         * How many live tails (SSE and WebSocket streams) may be open at once on one gateway; more are answered 429.
         * Each may hold a step of records for a slow client; the steps shrink as more are open (StreamSlots).
         */
        @WithDefault("1000")
        int maxStreams();
    }

    /** How clients of the HTTP API over HTTPS authenticate. */
    enum Authentication {
        NONE,
        BASIC
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
