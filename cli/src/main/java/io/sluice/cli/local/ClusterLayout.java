package io.sluice.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.contract.JGroupsSettings;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.security.CaBundle;
import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.protocol.security.CertificateRenewal;
import io.sluice.protocol.security.MemberCredential;

/**
 * The plan of a local cluster: which members it has, their ports, and the configuration each one is started with,
 * with all data under one directory ({@code <dataDir>/<member>}).
 */
public record ClusterLayout(Path dataDir, List<Member> members, Security security) {

    /**
     * Security on the (first) gateway: a SASL_SSL listener on {@code saslSslPort} with a certificate from the
     * cluster's own CA in {@code <dataDir>/tls}, ACLs checked on every request, and the bootstrap super user
     * {@code admin}. With {@code plaintextBeside} (test clusters) the gateway keeps its plaintext listener on its
     * Kafka port, whose anonymous clients are super users too, as on a Kafka internal listener, and has a mutual TLS
     * listener on {@code mtlsPort}; without it the SASL_SSL listener is the gateway's only one. Every member is
     * given {@code memberSecret}: brokers and coordinators serve members only, on their Kafka ports, their HTTP
     * endpoints and JGroups.
     */
    public record Security(String adminPassword, String memberSecret, int saslSslPort, boolean plaintextBeside,
            int mtlsPort) {

        /** None for a cluster recorded before members had a secret. */
        public Optional<MemberCredential> member() {
            return Optional.ofNullable(memberSecret).map(MemberCredential::new);
        }
    }

    private static final Duration REAUTH_IN_TESTS = Duration.ofSeconds(5);
    /** The bootstrap super user of a secured cluster. */
    public static final String ADMIN = "admin";
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);
    private static final Duration CA_VALIDITY = CERTIFICATE_VALIDITY.multipliedBy(5);
    /** The (first) coordinator's HTTP port; broker n's is this plus n. */
    private static final int COORDINATOR_HTTP_PORT = 8090;

    public ClusterLayout(Path dataDir, List<Member> members) {
        this(dataDir, members, null);
    }

    /** The same cluster with each member at the address {@code hosts} gives it. */
    public ClusterLayout at(Function<Member, String> hosts) {
        return new ClusterLayout(dataDir, members.stream().map(m -> m.at(hosts.apply(m))).toList(), security);
    }

    /** The same cluster with security on: the gateway's Kafka port is SASL_SSL. */
    public ClusterLayout secured(String adminPassword) {
        return new ClusterLayout(dataDir, members, new Security(adminPassword, MemberCredential.newSecret(),
                gateway().kafkaPort(), false, 0));
    }

    /**
     * The same cluster with security on beside the plaintext listener: SASL_SSL and mutual TLS on ports free right
     * now.
     */
    public ClusterLayout securedBesidePlaintext(String adminPassword) {
        Set<Integer> taken = new HashSet<>();
        members.forEach(m -> taken.addAll(m.ports().keySet()));
        return new ClusterLayout(dataDir, members, new Security(adminPassword, MemberCredential.newSecret(),
                Ports.free(taken, 0), true, Ports.free(taken, 0)));
    }

    /**
     * Makes the cluster's CA and the gateway's certificate (for loopback) in {@link #tlsDir()}, or renews them there
     * as the operator does: a cluster started again keeps its CA's key, so clients' trust stores stay good. The CA's
     * certificate is renewed with its key within {@link CaBundle#WINDOW} of its expiry (the old one stays in
     * {@code ca.crt} until it expires), the gateway's certificate within 30 days of its expiry or when the CA changed.
     */
    public void writeCertificates() {
        Path dir = tlsDir();
        Instant now = Instant.now();
        boolean made = !Files.exists(dir.resolve("ca.key"));
        CaBundle kept = made ? CaBundle.of(CertificateAuthority.create("sluice-ca", CA_VALIDITY)) : CaBundle.load(dir);
        CaBundle ca = kept.current(now, CA_VALIDITY);
        boolean changed = made || ca != kept;
        // The CA first: a gateway certificate is never left behind without the CA that issued it.
        if (changed) {
            ca.write(dir);
        }
        Path gateway = dir.resolve("gateway.crt");
        if (changed || !Files.exists(gateway) || CertificateRenewal.due(readString(gateway), now)) {
            CertificateAuthority issuer = ca.authority();
            issuer.server(List.of("localhost", Member.LOOPBACK, gateway().host()).stream().distinct().toList(),
                    CERTIFICATE_VALIDITY).write(dir, "gateway", issuer.certificate());
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Where the cluster's CA and certificates are: {@code ca.crt}, {@code gateway.crt}, {@code gateway.key}. */
    public Path tlsDir() {
        return dataDir.resolve("tls");
    }

    public ClusterLayout {
        dataDir = dataDir.toAbsolutePath().normalize();
        members = List.copyOf(members);
        long coordinators = members.stream().filter(m -> m.role() == Role.COORDINATOR).count();
        if ((coordinators != 1 && coordinators != 3)
                || members.stream().noneMatch(m -> m.role() == Role.GATEWAY)
                || members.stream().noneMatch(m -> m.role() == Role.BROKER)) {
            throw new IllegalArgumentException(
                    "a cluster has 1 or 3 coordinators, at least one gateway and at least one broker");
        }
        Map<Integer, String> used = new HashMap<>();
        for (Member member : members) {
            member.ports().forEach((port, use) -> {
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("port " + port + " (" + use + ") is out of range");
                }
                String other = used.putIfAbsent(port, use);
                if (other != null) {
                    throw new IllegalArgumentException("port " + port + " would be used twice: " + other + ", " + use);
                }
            });
        }
    }

    /**
     * The standard layout of {@code ./sluice up}: the gateway on {@code kafkaPort}/{@code httpPort}; the (first)
     * coordinator on its contract's ports (Kafka 9093, JGroups 7950) and HTTP 8090, coordinator k of 3 on 9190+k,
     * 8180+k, 7949+k; broker n on the broker's contract ports plus n - 1 (Kafka 9094, JGroups 7800 for broker 1) and
     * HTTP 8090+n; every internal port shifted by {@code portShift} so that a second cluster can run beside the
     * first.
     */
    public static ClusterLayout standard(Path dataDir, int brokers, int coordinators, int kafkaPort, int httpPort,
            int portShift) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker");
        }
        List<Member> members = new ArrayList<>();
        for (int k = 1; k <= coordinators; k++) {
            members.add(k == 1
                    ? new Member(coordinatorName(1, coordinators), Role.COORDINATOR, 0,
                            CoordinatorContract.KAFKA_PORT + portShift, COORDINATOR_HTTP_PORT + portShift,
                            CoordinatorContract.JGROUPS_PORT + portShift)
                    : new Member(coordinatorName(k, coordinators), Role.COORDINATOR, 0, 9190 + k + portShift,
                            8180 + k + portShift, CoordinatorContract.JGROUPS_PORT + k - 1 + portShift));
        }
        for (int n = 1; n <= brokers; n++) {
            members.add(new Member(brokerName(n), Role.BROKER, n, BrokerContract.KAFKA_PORT + n - 1 + portShift,
                    COORDINATOR_HTTP_PORT + n + portShift, BrokerContract.JGROUPS_PORT + n - 1 + portShift));
        }
        members.add(new Member("gateway", Role.GATEWAY, 0, kafkaPort, httpPort, 0));
        return new ClusterLayout(dataDir, members);
    }

    /**
     * A layout on ports that are free right now, for tests that run beside other clusters: {@code gateway}, and
     * {@code gateway-2}… when there are more.
     */
    public static ClusterLayout onFreePorts(Path dataDir, int brokers, int coordinators, int gateways) {
        Set<Integer> taken = new HashSet<>();
        List<Member> members = new ArrayList<>();
        for (int k = 1; k <= coordinators; k++) {
            members.add(new Member(coordinatorName(k, coordinators), Role.COORDINATOR, 0, Ports.free(taken, 0),
                    Ports.free(taken, 0), Ports.free(taken, JGroupsSettings.FAILURE_DETECTION_OFFSET)));
        }
        for (int n = 1; n <= brokers; n++) {
            members.add(new Member(brokerName(n), Role.BROKER, n, Ports.free(taken, 0), Ports.free(taken, 0),
                    Ports.free(taken, JGroupsSettings.FAILURE_DETECTION_OFFSET)));
        }
        for (int g = 1; g <= gateways; g++) {
            members.add(new Member(g == 1 ? "gateway" : "gateway-" + g, Role.GATEWAY, 0, Ports.free(taken, 0),
                    Ports.free(taken, Member.HTTPS_OFFSET), 0));
        }
        return new ClusterLayout(dataDir, members);
    }

    /** {@code coordinator} when it is the only one, else {@code coordinator-k}. */
    private static String coordinatorName(int k, int coordinators) {
        return coordinators == 1 ? "coordinator" : "coordinator-" + k;
    }

    private static String brokerName(int id) {
        return "broker-" + id;
    }

    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name + " in this cluster; members: "
                        + members.stream().map(Member::name).collect(Collectors.joining(", "))));
    }

    public List<Member> coordinators() {
        return members.stream().filter(m -> m.role() == Role.COORDINATOR).toList();
    }

    /** The (first) gateway: the address clients are given. */
    public Member gateway() {
        return gateways().get(0);
    }

    public List<Member> gateways() {
        return members.stream().filter(m -> m.role() == Role.GATEWAY).toList();
    }

    public List<Member> brokers() {
        return members.stream().filter(m -> m.role() == Role.BROKER).toList();
    }

    /** Where a member keeps its files: its log and its store. */
    public Path memberDir(Member member) {
        return dataDir.resolve(member.name());
    }

    /** The member's standard output and error. */
    public Path logFile(Member member) {
        return memberDir(member).resolve("member.log");
    }

    /** The member's configuration as environment variables (every service is configured 12-factor style). */
    public Map<String, String> environment(Member member) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ServiceContract.DATA_DIR.env(), memberDir(member).resolve("store").toString());
        env.put(ServiceContract.HTTP_HOST.env(), member.host());
        env.put(ServiceContract.HTTP_PORT.env(), Integer.toString(member.httpPort()));
        if (security != null) {
            env.put(ServiceContract.MEMBER_SECRET.env(), security.memberSecret());
        }
        String coordinatorBootstrap = coordinators().stream().map(c -> c.host() + ":" + c.kafkaPort())
                .collect(Collectors.joining(","));
        switch (member.role()) {
            case COORDINATOR -> {
                env.put(CoordinatorContract.HOST.env(), member.host());
                env.put(CoordinatorContract.ADVERTISED_HOST.env(), member.host());
                env.put(CoordinatorContract.PORT.env(), Integer.toString(member.kafkaPort()));
                // Kafka's default of 3 cannot be met by a smaller local cluster.
                env.put(CoordinatorContract.DEFAULT_REPLICATION_FACTOR.env(), Integer.toString(Math.min(3,
                        brokers().size())));
                jgroups(env, CoordinatorContract.JGROUPS, member, coordinators());
                env.put(CoordinatorContract.REPLICAS.env(), Integer.toString(coordinators().size()));
                if (security != null) {
                    env.put(CoordinatorContract.ADMIN_PASSWORD.env(), security.adminPassword());
                }
            }
            case BROKER -> {
                env.put(BrokerContract.ID.env(), Integer.toString(member.id()));
                env.put(BrokerContract.HOST.env(), member.host());
                env.put(BrokerContract.ADVERTISED_HOST.env(), member.host());
                env.put(BrokerContract.PORT.env(), Integer.toString(member.kafkaPort()));
                jgroups(env, BrokerContract.JGROUPS, member, brokers());
                env.put(CoordinatorContract.BOOTSTRAP.env(), coordinatorBootstrap);
            }
            case GATEWAY -> {
                env.put(GatewayContract.HOST.env(), member.host());
                env.put(GatewayContract.ADVERTISED_HOST.env(), member.host());
                env.put(GatewayContract.PORT.env(), Integer.toString(member.kafkaPort()));
                env.put(CoordinatorContract.BOOTSTRAP.env(), coordinatorBootstrap);
                env.put(CoordinatorContract.HTTP_BOOTSTRAP.env(), coordinators().stream()
                        .map(c -> c.host() + ":" + c.httpPort()).collect(Collectors.joining(",")));
                if (security != null && member.equals(gateway())) {
                    if (security.plaintextBeside()) {
                        env.put(GatewayContract.listenerPort("secure").env(), Integer.toString(security.saslSslPort()));
                        env.put(GatewayContract.listenerSecurityProtocol("secure").env(), "SASL_SSL");
                        // Sessions short enough that every secured test's clients authenticate again (KIP-368).
                        env.put(GatewayContract.SASL_MAX_REAUTH_MS.env(), Long.toString(REAUTH_IN_TESTS.toMillis()));
                        env.put(GatewayContract.listenerPort("mtls").env(), Integer.toString(security.mtlsPort()));
                        env.put(GatewayContract.listenerSecurityProtocol("mtls").env(), "SSL");
                        env.put(GatewayContract.listenerClientAuth("mtls").env(), "required");
                    } else {
                        env.put(GatewayContract.SECURITY_PROTOCOL.env(), "SASL_SSL");
                    }
                    env.put(GatewayContract.TLS_CERTIFICATE.env(), tlsDir().resolve("gateway.crt").toString());
                    env.put(GatewayContract.TLS_KEY.env(), tlsDir().resolve("gateway.key").toString());
                    env.put(GatewayContract.TLS_CLIENT_CA.env(), tlsDir().resolve("ca.crt").toString());
                    env.put(GatewayContract.TLS_CLIENT_AUTH.env(), "request");
                    env.put(GatewayContract.AUTHORIZATION_ENABLED.env(), "true");
                    env.put(GatewayContract.SUPER_USERS.env(), security.plaintextBeside()
                            ? "User:" + ADMIN + ",User:ANONYMOUS"
                            : "User:" + ADMIN);
                    // The HTTP API over HTTPS with the same certificate, its users and ACLs; plain HTTP stays for
                    // probes (and, beside plaintext, for anonymous clients as on the plaintext listener).
                    env.put(GatewayContract.HTTPS_PORT.env(), Integer.toString(member.httpsPort()));
                    env.put(GatewayContract.HTTP_AUTHENTICATION.env(), "basic");
                }
            }
        }
        return env;
    }

    /** A member of a JGroups cluster that finds its peers statically. */
    private static void jgroups(Map<String, String> env, JGroupsSettings settings, Member member, List<Member> peers) {
        env.put(settings.bindAddress().env(), member.host());
        env.put(settings.bindPort().env(), Integer.toString(member.jgroupsPort()));
        env.put(settings.initialHosts().env(), peers.stream().map(p -> p.host() + "[" + p.jgroupsPort() + "]")
                .collect(Collectors.joining(",")));
    }

    /** The address Kafka clients bootstrap from: the gateway. */
    public String bootstrapServers() {
        return gateway().host() + ":" + gateway().kafkaPort();
    }

    /** The gateway's mutual TLS address, on a secured test cluster. */
    public String mtlsBootstrapServers() {
        return gateway().host() + ":" + security.mtlsPort();
    }

    /** The gateway's SASL_SSL address, on a secured cluster. */
    public String secureBootstrapServers() {
        return gateway().host() + ":" + security.saslSslPort();
    }

    /** The gateway's HTTP address. */
    public String httpUrl() {
        return httpUrl(gateway());
    }

    /** The gateway's HTTPS address, on a secured cluster: the HTTP API with logins. */
    public String httpsUrl() {
        return "https://" + gateway().host() + ":" + gateway().httpsPort();
    }

    /** The base address of a member's HTTP port. */
    public static String httpUrl(Member member) {
        return "http://" + member.host() + ":" + member.httpPort();
    }
}
