package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The gateway's SASL_SSL listener with real clients over real TLS: kafka-clients with SCRAM-SHA-512, SCRAM-SHA-256 and
 * PLAIN, kcat (librdkafka) with all three; users managed with Kafka's Admin API count within seconds; wrong passwords,
 * deleted users and plaintext clients are refused while the listener keeps serving.
 */
@SluiceCluster
class SaslListenerIT {

    private static final String TOPIC = "sasl-orders";

    static TestCluster cluster;

    @BeforeAll
    static void topic() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBootstrapAdminProducesAndConsumesWithScramSha512() throws Exception {
        SecureClients admin = SecureClients.admin(cluster);

        admin.produce(TOPIC, 0, "from-admin");

        assertThat(admin.consume(TOPIC, 0)).contains("from-admin");
    }

    @Test
    void aUserAddedWithAdminLogsInWithScramSha256AndPlainThenNoMoreOnceDeleted() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "alice-secret"))).all()
                    .get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.ALL, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);

            SecureClients alice = new SecureClients(cluster, "SCRAM-SHA-256", "alice", "alice-secret");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> alice.topics().contains(TOPIC));
            alice.produce(TOPIC, 1, "from-alice");
            assertThat(alice.consume(TOPIC, 1)).contains("from-alice");
            assertThat(alice.as("PLAIN").topics()).contains(TOPIC);

            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("alice",
                    ScramMechanism.SCRAM_SHA_256))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(alice::refused);
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheListenerKeepsServing() throws Exception {
        SecureClients admin = SecureClients.admin(cluster);
        for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")) {
            assertThat(admin.as(mechanism).withPassword("not-the-password").refused()).as(mechanism).isTrue();
        }
        assertThat(new SecureClients(cluster, "SCRAM-SHA-512", "nobody", TestCluster.ADMIN_PASSWORD).refused())
                .isTrue();

        assertThat(admin.as("PLAIN").topics()).contains(TOPIC);
    }

    @Test
    void aPlaintextClientOnTheTlsListenerGetsNothingAndTheListenerKeepsServing() throws Exception {
        Map<String, Object> plaintext = new HashMap<>();
        plaintext.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.secureBootstrapServers());
        plaintext.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        plaintext.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        assertThat(SecureClients.admin(cluster).topics()).contains(TOPIC);
    }

    @Test
    void clientsAuthenticateAgainOnTheirConnectionBeforeTheirSessionEnds() throws Exception {
        double refusedBefore = refusedConnections();
        double loginsBefore = secureListenerMetric("sluice_kafka_authentications_total{", "outcome=\"success\"");
        int sent = 0;
        try (KafkaProducer<String, String> producer = SecureClients.admin(cluster).producer(Map.of())) {
            // Over two of the test cluster's 5 s sessions, on one connection.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < end) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, "reauth-" + sent)).get(30, TimeUnit.SECONDS);
                sent++;
                Thread.sleep(100);
            }
        }

        assertThat(sent).isGreaterThan(50);
        assertThat(refusedConnections()).as("connections closed by the gateway, e.g. as sessions expired")
                .isEqualTo(refusedBefore);
        // The bootstrap and the broker connection log in once each; only sessions told their lifetime log in again.
        assertThat(secureListenerMetric("sluice_kafka_authentications_total{", "outcome=\"success\""))
                .as("logins on the SASL_SSL listener").isGreaterThanOrEqualTo(loginsBefore + 3);
    }

    @Test
    void aCertificateRenewedInItsFilesIsServedToNewConnectionsWithoutARestart() throws Exception {
        BigInteger before = servedCertificate().getSerialNumber();
        CertificateAuthority ca = cluster.certificateAuthority();
        CertificateAuthority.Issued renewed = ca.server(List.of("localhost", "127.0.0.1"), Duration.ofDays(30));

        renewed.write(cluster.layout().tlsDir(), "gateway", ca.certificate());

        await().atMost(Duration.ofSeconds(20)).until(() -> servedCertificate().getSerialNumber()
                .equals(renewed.certificate().getSerialNumber()));
        assertThat(before).isNotEqualTo(renewed.certificate().getSerialNumber());
        assertThat(SecureClients.admin(cluster).topics()).contains(TOPIC);
    }

    /** The certificate the SASL_SSL listener presents to a new connection, checked against the cluster's CA. */
    private static X509Certificate servedCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", cluster.certificateAuthority().certificate());
        TrustManagerFactory trusting = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusting.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trusting.getTrustManagers(), null);
        String[] address = cluster.secureBootstrapServers().split(":");
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address[0],
                Integer.parseInt(address[1]))) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** The gateway's count of connections it closed on the SASL_SSL listener. */
    private static double refusedConnections() throws Exception {
        return secureListenerMetric("sluice_kafka_refused_connections_total{", "");
    }

    /** The sum of a Prometheus counter's series of the SASL_SSL listener whose labels contain {@code label}. */
    private static double secureListenerMetric(String name, String label) throws Exception {
        HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(
                        URI.create(cluster.httpUrl() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines()
                .filter(l -> l.startsWith(name) && l.contains("gateway-secure") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void kcatProducesAndConsumesWithPlainOverTls() throws Exception {
        Kcat admin = kcat("PLAIN", "admin", TestCluster.ADMIN_PASSWORD);

        admin.run("k1:v1\nk2:v2\n", "-P", "-t", TOPIC, "-p", "2", "-K", ":");

        assertThat(consumeAll(admin, 2)).contains("k1=v1", "k2=v2");
    }

    /**
     * Debian's librdkafka (2.0) signs a SCRAM nonce that Kafka 4 refuses; its users must still log in, and a wrong
     * password must still be refused.
     */
    @Test
    void kcatProducesWithScramSha256AndConsumesWithScramSha512() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                // Kafka alters one credential of a user per request
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("kcat-user",
                        new ScramCredentialInfo(mechanism, 4096), "kcat-secret"))).all().get(30, TimeUnit.SECONDS);
            }
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry("User:kcat-user", "*", AclOperation.ALL, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Kcat sha256 = kcat("SCRAM-SHA-256", "kcat-user", "kcat-secret");
        Kcat sha512 = kcat("SCRAM-SHA-512", "kcat-user", "kcat-secret");

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> sha256.run("k3:v3\n", "-P",
                "-t", TOPIC, "-p", "0", "-K", ":"));

        assertThat(consumeAll(sha512, 0)).contains("k3=v3");
        for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")) {
            assertThat(kcat(mechanism, "kcat-user", "not-the-secret").fail("-L", "-m", "5")).as(mechanism)
                    .contains("Authentication failed");
        }
        assertThat(consumeAll(sha512, 0)).as("still serving").contains("k3=v3");
    }

    private static String consumeAll(Kcat kcat, int partition) throws Exception {
        return kcat.run(null, "-C", "-t", TOPIC, "-p", String.valueOf(partition), "-o", "beginning", "-e", "-f",
                "%k=%s\n");
    }

    private static Kcat kcat(String mechanism, String user, String password) {
        return new Kcat(List.of("-b", cluster.secureBootstrapServers(), "-X", "security.protocol=SASL_SSL",
                "-X", "sasl.mechanisms=" + mechanism, "-X", "sasl.username=" + user, "-X", "sasl.password=" + password,
                "-X", "ssl.ca.location=" + cluster.caCertificate()));
    }
}
