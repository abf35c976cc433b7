package io.sluice.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.security.auth.SecurityProtocol;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.gateway.api.FetchSessions;
import io.sluice.gateway.api.GatewayNode;
import io.sluice.gateway.api.GatewayRequestHandler;
import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.quota.Throttles;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.security.PasswordLogins;
import io.sluice.gateway.security.SecurityView;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.net.ActiveServer;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.MicrometerRequestMetrics;
import io.sluice.protocol.net.ReconnectingChannel;
import io.sluice.protocol.net.RequestLimits;
import io.sluice.protocol.security.ListenerSecurity;
import io.sluice.protocol.security.SaslSettings;
import io.sluice.protocol.security.TlsSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;

/**
 * The gateway: its metadata view, its Kafka listeners, the users' credentials and ACLs they authenticate and
 * authorize clients with, and its own requests to leaders.
 */
@ApplicationScoped
public class Gateway {

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    MemberSecurity members;

    /** The coordinator replicas, shared by the gateway's channel to them and each client's own. */
    private ActiveServer coordinators;
    private MetadataView metadata;
    private LeaderRequests leaders;
    private SecurityView security;
    private Throttles throttles;
    private FetchMemory fetchMemory;
    private FetchSessions fetchSessions;
    private PasswordLogins passwordLogins;
    private final List<KafkaServer> servers = new ArrayList<>();
    private volatile boolean listening;

    void start(@Observes StartupEvent event) {
        GatewayConfig.Gateway gateway = config.gateway();
        coordinators = new ActiveServer(config.coordinator().bootstrap());
        metadata = new MetadataView(vertx, new ReconnectingChannel(vertx, "gateway", coordinators, members.login()),
                MetadataView.POLL_INTERVAL);
        metadata.start();
        leaders = new LeaderRequests(vertx, metadata, members.login(), gateway.http().maxReads());
        boolean sasl = ListenerSecurity.usesSasl(gateway.securityProtocol()) || gateway.listeners().values().stream()
                .anyMatch(l -> ListenerSecurity.usesSasl(l.securityProtocol()));
        GatewayConfig.Authorization authorization = gateway.authorization();
        boolean httpLogins = gateway.http().authentication() == GatewayConfig.Authentication.BASIC;
        if (httpLogins && gateway.tls().certificate().isEmpty()) {
            throw new IllegalArgumentException(GatewayContract.HTTP_AUTHENTICATION.property()
                    + "=basic takes passwords over HTTPS only, which needs " + GatewayContract.TLS_CERTIFICATE.property());
        }
        // Always: it brings client quotas too, whatever the listeners' security.
        security = new SecurityView(vertx, config.coordinator().httpBootstrap(), members, authorization.superUsers()
                .orElse(List.of()).stream().map(Authorizer::principal).collect(Collectors.toSet()));
        security.start();
        throttles = new Throttles(security::quotas, System::currentTimeMillis);
        fetchMemory = new FetchMemory(gateway.fetchMemoryMax().orElse(Runtime.getRuntime().maxMemory() / 8));
        Gauge.builder("sluice.fetch.memory.used", fetchMemory::usedBytes).baseUnit(BaseUnits.BYTES)
                .description("Bytes the Kafka fetches under way may gather, out of sluice.gateway.fetch-memory-max")
                .register(registry);
        fetchSessions = new FetchSessions(gateway.fetchSessionPartitionsMax());
        Gauge.builder("sluice.fetch.sessions", fetchSessions::sessions)
                .description("Incremental fetch sessions open on the gateway's Kafka listeners").register(registry);
        Gauge.builder("sluice.fetch.session.partitions", fetchSessions::partitions)
                .description("Partitions the open fetch sessions hold, out of sluice.gateway.fetch-session-partitions-max")
                .register(registry);
        if (httpLogins) {
            passwordLogins = new PasswordLogins(security);
        }
        listen("gateway", gateway.port(), gateway.advertisedPort(), gateway.securityProtocol(),
                gateway.tls().clientAuth());
        gateway.listeners().forEach((name, listener) -> listen("gateway-" + name, listener.port(),
                listener.advertisedPort(), listener.securityProtocol(),
                listener.clientAuth().orElse(gateway.tls().clientAuth())));
        listening = true;
    }

    /** A Kafka listener, which tells clients to come back to its own advertised port. */
    private void listen(String name, int port, Optional<Integer> advertisedPort, SecurityProtocol protocol,
            ClientAuth clientAuth) {
        GatewayConfig.Gateway gateway = config.gateway();
        GatewayNode node = new GatewayNode(gateway.advertisedHost(), advertisedPort.orElse(port));
        KafkaServer server = new KafkaServer(name, GatewayContract.APIS,
                new GatewayRequestHandler(vertx, metadata, node, coordinators, members.login(),
                        gateway.authorization().enabled() ? security::authorizer : null, throttles, fetchMemory, fetchSessions),
                new RequestLimits(gateway.maxRequestSize(), gateway.maxHeldRequestBytes()),
                new MicrometerRequestMetrics(registry, name));
        server.listen(vertx, gateway.host(), port, security(protocol, clientAuth)).toCompletionStage()
                .toCompletableFuture().join();
        servers.add(server);
    }

    private ListenerSecurity security(SecurityProtocol protocol, ClientAuth clientAuth) {
        GatewayConfig.Tls tls = config.gateway().tls();
        TlsSettings tlsSettings = null;
        if (ListenerSecurity.usesTls(protocol)) {
            tlsSettings = new TlsSettings(
                    tls.certificate().orElseThrow(() -> new IllegalArgumentException(
                            protocol + " needs sluice.gateway.tls.certificate")),
                    tls.key().orElseThrow(() -> new IllegalArgumentException(protocol + " needs sluice.gateway.tls.key")),
                    tls.clientCa().orElse(null), clientAuth);
        }
        SaslSettings saslSettings = null;
        if (ListenerSecurity.usesSasl(protocol)) {
            GatewayConfig.Sasl sasl = config.gateway().sasl();
            boolean plainAllowed = tlsSettings != null || sasl.plainWithoutTls();
            List<String> mechanisms = sasl.mechanisms().stream()
                    .filter(m -> plainAllowed || !m.equals(SaslSettings.PLAIN))
                    .toList();
            saslSettings = new SaslSettings(mechanisms, security, Duration.ofMillis(sasl.maxReauthMs()),
                    sasl.plainWithoutTls());
        }
        return new ListenerSecurity(protocol, tlsSettings, saslSettings);
    }

    void stop(@Observes ShutdownEvent event) {
        servers.forEach(KafkaServer::close);
        security.close();
        if (leaders != null) {
            leaders.close();
        }
        if (metadata != null) {
            metadata.close();
        }
    }

    public boolean ready() {
        return listening && metadata.loaded() && security.loaded();
    }

    public MetadataView metadata() {
        return metadata;
    }

    /** The ACLs HTTP requests are checked against, as the Kafka listeners' are; null when authorization is off. */
    public Authorizer authorizer() {
        return config.gateway().authorization().enabled() ? security.authorizer() : null;
    }

    /** Checks the HTTP API's Basic logins; null unless it takes them. */
    public PasswordLogins passwordLogins() {
        return passwordLogins;
    }

    /** The clients' quotas on this gateway, which its Kafka listeners and HTTP API hold them to together. */
    public Throttles throttles() {
        return throttles;
    }

    /** Produce, fetch and list offsets at partition leaders on the gateway's own account (the HTTP API's). */
    public LeaderRequests leaders() {
        return leaders;
    }
}
