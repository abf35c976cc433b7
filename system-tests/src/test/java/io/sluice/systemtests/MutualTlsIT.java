package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The gateway's mutual TLS listener with kafka-clients: a certificate from the cluster's CA is the client's
 * principal ({@code User:CN=name}) and its ACLs apply; no certificate, an expired one or one from another CA is refused
 * in the handshake, and the listener keeps serving.
 */
@SluiceCluster
class MutualTlsIT {

    private static final String TOPIC = "mtls-orders";
    private static final Duration YEAR = Duration.ofDays(365);

    static TestCluster cluster;

    @TempDir
    static Path certificates;

    @BeforeAll
    static void topic() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientCertificateIsThePrincipalWhoseAclsApply() throws Exception {
        Map<String, Object> henry = client(cluster.certificateAuthority(), "henry", YEAR);
        assertThatThrownBy(() -> produce(henry)).hasRootCauseInstanceOf(AuthorizationException.class);

        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC,
                    PatternType.LITERAL),
                    new AccessControlEntry("User:CN=henry", "*", AclOperation.WRITE,
                            AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> produce(henry));
    }

    @Test
    void noCertificateAnExpiredOneOrAForeignOneIsRefusedAndTheListenerKeepsServing() throws Exception {
        Map<String, Object> without = client(null, null, null);
        Map<String, Object> expired = client(cluster.certificateAuthority(), "ivy", Duration.ofMinutes(-1));
        Map<String, Object> foreign = client(CertificateAuthority.create("someone-else", YEAR), "ivy", YEAR);

        for (Map<String, Object> refused : List.of(without, expired, foreign)) {
            try (Admin admin = Admin.create(refused)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
        }

        try (Admin admin = Admin.create(client(cluster.certificateAuthority(), "ivy", YEAR))) {
            admin.listTopics().names().get(20, TimeUnit.SECONDS);
        }
    }

    /** kafka-clients on the mutual TLS listener, presenting a certificate {@code ca} issues (none without a CA). */
    private static Map<String, Object> client(CertificateAuthority ca, String user, Duration validity)
            throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.mtlsBootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, cluster.caCertificate().toString());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        if (ca != null) {
            String name = "client-" + System.nanoTime();
            ca.client(user, validity).write(certificates, name, ca.certificate());
            config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            config.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
                    Files.readString(certificates.resolve(name + ".crt")));
            config.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, Files.readString(certificates.resolve(name + ".key")));
        }
        return config;
    }

    private static void produce(Map<String, Object> config) throws Exception {
        Map<String, Object> producer = new HashMap<>(config);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> client = new KafkaProducer<>(producer)) {
            client.send(new ProducerRecord<>(TOPIC, "over mutual TLS")).get(30, TimeUnit.SECONDS);
        }
    }
}
