package io.sluice.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.protocol.security.CaBundle;
import io.sluice.protocol.security.CertificateAuthority;

class ClusterLayoutTest {

    private static final Path DATA = Path.of("/tmp/sluice-data");

    @Test
    void standardLayoutUsesTheDocumentedPorts() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 3, 1, 9092, 8080, 0);

        assertThat(layout.members()).containsExactly(
                new Member("coordinator", Role.COORDINATOR, 0, 9093, 8090, 7950),
                new Member("broker-1", Role.BROKER, 1, 9094, 8091, 7800),
                new Member("broker-2", Role.BROKER, 2, 9095, 8092, 7801),
                new Member("broker-3", Role.BROKER, 3, 9096, 8093, 7802),
                new Member("gateway", Role.GATEWAY, 0, 9092, 8080, 0));
        assertThat(layout.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(layout.httpUrl()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void portBaseShiftsEveryInternalPortButNotTheGateways() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 2, 1, 19092, 18080, 10_000);

        assertThat(layout.coordinators().get(0)).isEqualTo(new Member("coordinator", Role.COORDINATOR, 0, 19093, 18090, 17950));
        assertThat(layout.member("broker-2")).isEqualTo(new Member("broker-2", Role.BROKER, 2, 19095, 18092, 17801));
        assertThat(layout.gateway().kafkaPort()).isEqualTo(19092);
        assertThat(layout.gateway().httpPort()).isEqualTo(18080);
    }

    @Test
    void aPortUsedTwiceIsRefusedWithBothUses() {
        assertThatThrownBy(() -> ClusterLayout.standard(DATA, 3, 1, 9093, 8080, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9093").hasMessageContaining("coordinator kafka")
                .hasMessageContaining("gateway kafka");
        // broker 151's JGroups port is the coordinator's 7950
        assertThatThrownBy(() -> ClusterLayout.standard(DATA, 151, 1, 9092, 8080, 0))
                .hasMessageContaining("port 7950");
    }

    @Test
    void portsOutOfRangeAndEmptyClustersAreRefused() {
        assertThatThrownBy(() -> ClusterLayout.standard(DATA, 3, 1, 9092, 8080, 60_000)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ClusterLayout.standard(DATA, 0, 1, 9092, 8080, 0)).hasMessageContaining("broker");
    }

    @Test
    void membersGetTheirConfigurationAsEnvironment() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 3, 1, 9092, 8080, 0);

        assertThat(layout.environment(layout.coordinators().get(0))).containsAllEntriesOf(Map.of(
                "SLUICE_DATA_DIR", "/tmp/sluice-data/coordinator/store",
                "QUARKUS_HTTP_PORT", "8090",
                "SLUICE_COORDINATOR_PORT", "9093",
                "SLUICE_COORDINATOR_JGROUPS_BIND_PORT", "7950",
                "SLUICE_COORDINATOR_JGROUPS_INITIAL_HOSTS", "127.0.0.1[7950]",
                "SLUICE_COORDINATOR_DEFAULT_REPLICATION_FACTOR", "3"));
        assertThat(layout.environment(layout.member("broker-2"))).containsAllEntriesOf(Map.of(
                "SLUICE_BROKER_ID", "2",
                "SLUICE_DATA_DIR", "/tmp/sluice-data/broker-2/store",
                "QUARKUS_HTTP_PORT", "8092",
                "SLUICE_BROKER_PORT", "9095",
                "SLUICE_BROKER_JGROUPS_BIND_PORT", "7801",
                "SLUICE_BROKER_JGROUPS_INITIAL_HOSTS", "127.0.0.1[7800],127.0.0.1[7801],127.0.0.1[7802]",
                "SLUICE_COORDINATOR_BOOTSTRAP", "127.0.0.1:9093"));
        assertThat(layout.environment(layout.gateway())).containsAllEntriesOf(Map.of(
                "SLUICE_GATEWAY_PORT", "9092",
                "QUARKUS_HTTP_PORT", "8080",
                "SLUICE_COORDINATOR_BOOTSTRAP", "127.0.0.1:9093"));
        assertThat(layout.logFile(layout.gateway())).isEqualTo(Path.of("/tmp/sluice-data/gateway/member.log"));
    }

    @Test
    void threeCoordinatorReplicasKnowEachOtherAndEveryClientKnowsAllThree() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 3, 3, 9092, 8080, 0);

        assertThat(layout.coordinators()).containsExactly(
                new Member("coordinator-1", Role.COORDINATOR, 0, 9093, 8090, 7950),
                new Member("coordinator-2", Role.COORDINATOR, 0, 9192, 8182, 7951),
                new Member("coordinator-3", Role.COORDINATOR, 0, 9193, 8183, 7952));
        assertThat(layout.environment(layout.member("coordinator-2"))).containsAllEntriesOf(Map.of(
                "SLUICE_DATA_DIR", "/tmp/sluice-data/coordinator-2/store",
                "SLUICE_COORDINATOR_PORT", "9192",
                "SLUICE_COORDINATOR_REPLICAS", "3",
                "SLUICE_COORDINATOR_JGROUPS_BIND_PORT", "7951",
                "SLUICE_COORDINATOR_JGROUPS_INITIAL_HOSTS", "127.0.0.1[7950],127.0.0.1[7951],127.0.0.1[7952]"));
        String bootstrap = "127.0.0.1:9093,127.0.0.1:9192,127.0.0.1:9193";
        assertThat(layout.environment(layout.member("broker-1"))).containsEntry("SLUICE_COORDINATOR_BOOTSTRAP", bootstrap);
        assertThat(layout.environment(layout.gateway())).containsEntry("SLUICE_COORDINATOR_BOOTSTRAP", bootstrap);
        assertThatThrownBy(() -> ClusterLayout.standard(DATA, 3, 2, 9092, 8080, 0))
                .hasMessageContaining("1 or 3 coordinators");
    }

    @Test
    void membersAtAddressesOfTheirOwnListenAdvertiseAndAreFoundThere() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 2, 3, 9092, 8080, 0)
                .at(m -> "10.0.0." + (m.name().endsWith("-1") ? 1 : m.name().endsWith("-2") ? 2 : 3));

        assertThat(layout.environment(layout.member("coordinator-2"))).containsAllEntriesOf(Map.of(
                "QUARKUS_HTTP_HOST", "10.0.0.2",
                "SLUICE_COORDINATOR_HOST", "10.0.0.2",
                "SLUICE_COORDINATOR_ADVERTISED_HOST", "10.0.0.2",
                "SLUICE_COORDINATOR_JGROUPS_BIND_ADDRESS", "10.0.0.2",
                "SLUICE_COORDINATOR_JGROUPS_INITIAL_HOSTS", "10.0.0.1[7950],10.0.0.2[7951],10.0.0.3[7952]"));
        assertThat(layout.environment(layout.member("broker-2"))).containsAllEntriesOf(Map.of(
                "SLUICE_BROKER_ADVERTISED_HOST", "10.0.0.2",
                "SLUICE_BROKER_JGROUPS_INITIAL_HOSTS", "10.0.0.1[7800],10.0.0.2[7801]",
                "SLUICE_COORDINATOR_BOOTSTRAP", "10.0.0.1:9093,10.0.0.2:9192,10.0.0.3:9193"));
        assertThat(layout.environment(layout.gateway())).containsAllEntriesOf(Map.of(
                "SLUICE_GATEWAY_ADVERTISED_HOST", "10.0.0.3",
                "SLUICE_COORDINATOR_HTTP_BOOTSTRAP", "10.0.0.1:8090,10.0.0.2:8182,10.0.0.3:8183"));
        assertThat(layout.bootstrapServers()).isEqualTo("10.0.0.3:9092");
        assertThat(ClusterLayout.httpUrl(layout.member("broker-1"))).isEqualTo("http://10.0.0.1:8091");
    }

    @Test
    void aClusterSmallerThanThreeBrokersDefaultsToItsSizeAsReplicationFactor() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 1, 1, 9092, 8080, 0);

        assertThat(layout.environment(layout.coordinators().get(0)))
                .containsEntry("SLUICE_COORDINATOR_DEFAULT_REPLICATION_FACTOR", "1");
    }

    @Test
    void freePortLayoutHasDistinctBindablePortsWithRoomForFailureDetection() {
        ClusterLayout layout = ClusterLayout.onFreePorts(DATA, 3, 1, 1);

        Set<Integer> ports = new HashSet<>();
        layout.members().forEach(m -> ports.addAll(m.ports().keySet()));
        assertThat(ports).hasSize(2 * 5 + 2 * 4 + 1).allSatisfy(p -> assertThat(Ports.bindable(p)).isTrue());
        assertThat(layout.brokers()).extracting(Member::name).isEqualTo(List.of("broker-1", "broker-2", "broker-3"));
    }

    @Test
    void unknownMemberNamesAreExplained() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 2, 1, 9092, 8080, 0);

        assertThatThrownBy(() -> layout.member("broker-7")).hasMessageContaining("broker-7")
                .hasMessageContaining("coordinator, broker-1, broker-2, gateway");
    }

    @Test
    void aSecuredClusterHasOnlyASaslSslGatewayWithAclsAndTheCoordinatorItsAdmin() {
        ClusterLayout layout = ClusterLayout.standard(DATA, 1, 1, 9092, 8080, 0).secured("s3cret");

        Map<String, String> gateway = layout.environment(layout.gateway());
        assertThat(gateway).containsEntry("SLUICE_GATEWAY_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("SLUICE_GATEWAY_TLS_CERTIFICATE", DATA.resolve("tls/gateway.crt").toString())
                .containsEntry("SLUICE_GATEWAY_AUTHORIZATION_ENABLED", "true")
                .containsEntry("SLUICE_GATEWAY_AUTHORIZATION_SUPER_USERS", "User:admin")
                .containsEntry("QUARKUS_HTTP_SSL_PORT", "8081")
                .containsEntry("SLUICE_GATEWAY_HTTP_AUTHENTICATION", "basic");
        assertThat(layout.httpsUrl()).isEqualTo("https://127.0.0.1:8081");
        assertThat(gateway.keySet()).noneMatch(k -> k.startsWith("SLUICE_GATEWAY_LISTENERS_"));
        assertThat(layout.environment(layout.member("coordinator")))
                .containsEntry("SLUICE_SECURITY_ADMIN_PASSWORD", "s3cret");
        assertThat(layout.secureBootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void aTestClusterKeepsItsPlaintextListenerBesideTheSaslSslOne() {
        ClusterLayout layout = ClusterLayout.onFreePorts(DATA, 1, 1, 1).securedBesidePlaintext("s3cret");

        Map<String, String> gateway = layout.environment(layout.gateway());
        assertThat(gateway).doesNotContainKey("SLUICE_GATEWAY_SECURITY_PROTOCOL")
                .containsEntry("SLUICE_GATEWAY_LISTENERS_SECURE_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("SLUICE_GATEWAY_LISTENERS_SECURE_PORT",
                        Integer.toString(layout.security().saslSslPort()))
                .containsEntry("SLUICE_GATEWAY_AUTHORIZATION_SUPER_USERS", "User:admin,User:ANONYMOUS");
        assertThat(layout.members()).noneMatch(m -> m.ports().containsKey(layout.security().saslSslPort()));
    }

    @Test
    void aSecuredClusterKeepsItsCertificatesWhileTheyLastAndRenewsThemBeforeTheyExpire(@TempDir Path data)
            throws Exception {
        ClusterLayout layout = ClusterLayout.standard(data, 1, 1, 9092, 8080, 0).secured("s3cret");
        Path tls = layout.tlsDir();
        layout.writeCertificates();
        String caKey = Files.readString(tls.resolve("ca.key"));
        X509Certificate ca = CaBundle.load(tls).authority().certificate();
        String gateway = Files.readString(tls.resolve("gateway.crt"));
        assertThat(Files.getPosixFilePermissions(tls.resolve("ca.key"))).containsOnly(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(tls.resolve("gateway.key")))
                .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        certificates(gateway).get(0).verify(ca.getPublicKey());

        layout.writeCertificates();
        assertThat(Files.readString(tls.resolve("gateway.crt"))).as("started again").isEqualTo(gateway);

        // The gateway's certificate with 20 days left, as a year after the cluster was made.
        CertificateAuthority authority = CaBundle.load(tls).authority();
        authority.server(List.of("localhost"), Duration.ofDays(20)).write(tls, "gateway", ca);
        layout.writeCertificates();
        X509Certificate renewed = certificates(Files.readString(tls.resolve("gateway.crt"))).get(0);
        assertThat(renewed.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
        assertThat(renewed.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).contains("localhost", "127.0.0.1");
        renewed.verify(ca.getPublicKey());
        assertThat(Files.readString(tls.resolve("ca.key"))).isEqualTo(caKey);

        // The CA's certificate with 20 days left, as five years after: renewed with its key, the old one still trusted.
        X509Certificate ageing = authority.renewed(Duration.ofDays(20)).certificate();
        new CaBundle(CaBundle.fromPem(CertificateAuthority.certificatesPem(List.of(ageing)), caKey).authority(),
                List.of(ageing)).write(tls);
        layout.writeCertificates();
        List<X509Certificate> trusted = certificates(Files.readString(tls.resolve("ca.crt")));
        assertThat(trusted).hasSize(2).element(1).isEqualTo(ageing);
        assertThat(trusted.get(0).getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(4 * 365)));
        assertThat(trusted.get(0).getPublicKey()).isEqualTo(ca.getPublicKey());
        assertThat(Files.readString(tls.resolve("ca.key"))).isEqualTo(caKey);
        List<X509Certificate> chain = certificates(Files.readString(tls.resolve("gateway.crt")));
        assertThat(chain.get(0)).as("issued anew with the renewed CA").isNotEqualTo(renewed);
        assertThat(chain.get(1)).isEqualTo(trusted.get(0));
    }

    private static List<X509Certificate> certificates(String pem) {
        return CertificateAuthority.certificates(pem);
    }
}
