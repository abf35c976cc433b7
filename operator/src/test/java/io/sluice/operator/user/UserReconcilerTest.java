package io.sluice.operator.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterSpec;
import io.sluice.operator.cluster.SecretData;
import io.sluice.operator.cluster.SecuritySpec;
import io.sluice.operator.mock.MockApiServer;
import io.sluice.operator.resource.Conditions;
import io.sluice.operator.topic.Topic;
import io.sluice.protocol.security.CertificateAuthority;

/**
 * The User reconciler against fabric8's Kubernetes mock API server: its Secrets, status, refusals and finalizer. No
 * cluster answers here (what the cluster is told is checked against a real one in {@code TopicReconcilerIT}, and the
 * quota changes it is sent in {@link UserQuotasTest}).
 */
@QuarkusTest
@QuarkusTestResource(value = MockApiServer.class, restrictToAnnotatedClass = true)
class UserReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Test
    void aScramUserGetsItsPasswordOnceAndAFinalizer() {
        securedCluster("iota", "apps", SecuritySpec.SCRAM_SHA_512);
        User user = client.resource(user("apps", "orders-app", "iota", "scram-sha-512",
                List.of(acl("topic", "orders", "prefix", List.of("Read", "Write"))))).create();

        Secret secret = await().atMost(WAIT).until(() -> secret("apps", "orders-app"), s -> s != null);
        String password = SecretData.get(secret, "password");
        assertThat(password).hasSize(32);
        assertThat(SecretData.get(secret, "sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"orders-app\" password=\""
                        + password + "\";");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("User"));
        await().atMost(WAIT).untilAsserted(() -> {
            User seen = get(user);
            assertThat(seen.getFinalizers()).isNotEmpty();
            assertThat(seen.getStatus().getPrincipal()).isEqualTo("User:orders-app");
            assertThat(seen.getStatus().getObservedGeneration()).isEqualTo(1L);
            // Nothing answers at the gateway Service's address here.
            assertThat(ready(seen)).satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("ClusterUnreachable");
            });
        });

        User latest = get(user);
        latest.getSpec().getAuthorization().getAcls().get(0).setOperations(List.of("Read"));
        client.resource(latest).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(user).getStatus().getObservedGeneration())
                .isEqualTo(2L));
        assertThat(SecretData.get(secret("apps", "orders-app"), "password")).as("the password is kept")
                .isEqualTo(password);
    }

    @Test
    void aTlsUserGetsACertificateOfTheClusterCa() throws Exception {
        securedCluster("kappa", "billing", SecuritySpec.TLS);
        User user = client.resource(user("billing", "invoicer", "kappa", "tls", List.of())).create();

        Secret secret = await().atMost(WAIT).until(() -> secret("billing", "invoicer"), s -> s != null);
        Secret ca = secret("billing", "kappa-cluster-ca");
        X509Certificate certificate = certificate(SecretData.get(secret, "user.crt"));
        certificate.verify(certificate(SecretData.get(ca, "ca.crt")).getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=invoicer");
        assertThat(SecretData.get(secret, "user.key")).contains("PRIVATE KEY");
        assertThat(SecretData.get(secret, "ca.crt")).isEqualTo(SecretData.get(ca, "ca.crt"));
        assertThat(secret.getData()).doesNotContainKey("password");
        await().atMost(WAIT).untilAsserted(
                () -> assertThat(get(user).getStatus().getPrincipal()).isEqualTo("User:CN=invoicer"));

        // The CA's certificate with 20 days left, as five years on: renewed, and the user's Secret follows.
        CertificateAuthority authority = CertificateAuthority.fromPem(SecretData.get(ca, "ca.crt"),
                SecretData.get(ca, "ca.key"));
        Map<String, String> data = new java.util.LinkedHashMap<>(ca.getData());
        data.putAll(SecretData.encode(Map.of("ca.crt", CertificateAuthority.certificatesPem(
                List.of(authority.renewed(Duration.ofDays(20)).certificate())))));
        ca.setData(data);
        client.resource(ca).update();
        User latest = get(user);
        latest.getSpec().getAuthorization().setAcls(List.of(acl("topic", "invoices", "literal", List.of("Read"))));
        client.resource(latest).update();

        await().atMost(WAIT).until(() -> CertificateAuthority.certificates(
                SecretData.get(secret("billing", "invoicer"), "ca.crt")).size() == 2);
        Secret renewed = secret("billing", "invoicer");
        assertThat(SecretData.get(renewed, "ca.crt")).isEqualTo(SecretData.get(secret("billing", "kappa-cluster-ca"),
                "ca.crt"));
        List<X509Certificate> chain = CertificateAuthority.certificates(SecretData.get(renewed, "user.crt"));
        X509Certificate renewedCa = CertificateAuthority.certificates(SecretData.get(renewed, "ca.crt")).get(0);
        assertThat(chain.get(1)).isEqualTo(renewedCa);
        chain.get(0).verify(renewedCa.getPublicKey());
        assertThat(SecretData.get(renewed, "user.key")).isNotEqualTo(SecretData.get(secret, "user.key"));

        // The CA's key replaced: the user gets a certificate of the new key within its resync, nothing else changing.
        Cluster cluster = client.resources(Cluster.class).inNamespace("billing").withName("kappa").get();
        cluster.getSpec().getSecurity().getCa().setKeyGeneration(1);
        client.resource(cluster).update();
        await().atMost(WAIT).until(() -> !CertificateAuthority.certificates(SecretData.get(
                secret("billing", "invoicer"), "ca.crt")).get(0).getPublicKey().equals(renewedCa.getPublicKey()));
        Secret replaced = secret("billing", "invoicer");
        X509Certificate newCa = CertificateAuthority.certificates(SecretData.get(replaced, "ca.crt")).get(0);
        assertThat(newCa).isEqualTo(CertificateAuthority.certificates(SecretData.get(
                secret("billing", "kappa-cluster-ca"), "ca.crt")).get(0));
        certificate(SecretData.get(replaced, "user.crt")).verify(newCa.getPublicKey());
    }

    @Test
    void aUserOfAnotherAuthenticationThanItsClustersIsRefused() {
        securedCluster("lambda", "search", SecuritySpec.TLS);
        User user = client.resource(user("search", "indexer", "lambda", "scram-sha-512", List.of())).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get(user))).satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("AuthenticationMismatch");
            assertThat(c.getMessage()).contains("certificate (tls)");
        }));
        assertThat(secret("search", "indexer")).isNull();
    }

    @Test
    void aBadSpecIsRefusedAndNothingIsApplied() {
        securedCluster("mu", "risk", SecuritySpec.SCRAM_SHA_512);
        User user = client.resource(user("risk", "scorer", "mu", "kerberos",
                List.of(acl("topic", "scores", "literal", List.of("Read", "Fly")),
                        acl("queue", "x", "literal", List.of("Read")))))
                .create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get(user))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).contains("authentication.type is \"kerberos\"",
                    "authorization.acls[0].operations has \"Fly\"", "authorization.acls[1].resource.type is \"queue\"");
        }));
        assertThat(secret("risk", "scorer")).isNull();
    }

    @Test
    void quotasNotAboveZeroAreRefusedAndNothingIsApplied() {
        securedCluster("xi", "ledger", SecuritySpec.SCRAM_SHA_512);
        User user = user("ledger", "auditor", "xi", "scram-sha-512", List.of());
        user.getSpec().setQuotas(new UserSpec.Quotas());
        user.getSpec().getQuotas().setProducerByteRate(-1024L);
        user.getSpec().getQuotas().setConsumerByteRate(4096L);
        user.getSpec().getQuotas().setRequestPercentage(0);
        User created = client.resource(user).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get(created))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).contains("quotas.producerByteRate is -1024 but must be above 0",
                    "quotas.requestPercentage is 0 but must be above 0").doesNotContain("consumerByteRate");
        }));
        assertThat(secret("ledger", "auditor")).isNull();
    }

    @Test
    void deletingAUserWhoseClusterIsGoneReleasesItAndDeletesItsSecret() {
        Cluster cluster = securedCluster("nu", "legacy", SecuritySpec.SCRAM_SHA_512);
        User user = client.resource(user("legacy", "batch", "nu", "scram-sha-512", List.of())).create();
        await().atMost(WAIT).until(() -> secret("legacy", "batch") != null && !get(user).getFinalizers().isEmpty());

        client.resource(cluster).delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get(user)).getReason())
                .isEqualTo("ClusterNotFound"));
        client.resource(get(user)).delete();

        await().atMost(WAIT).until(() -> get(user) == null);
        assertThat(secret("legacy", "batch")).isNull();
    }

    private Cluster securedCluster(String name, String namespace, String authentication) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        Cluster cluster = new Cluster();
        cluster.getMetadata().setName(name);
        cluster.getMetadata().setNamespace(namespace);
        ClusterSpec spec = new ClusterSpec();
        spec.setSecurity(new SecuritySpec());
        spec.getSecurity().getAuthentication().setType(authentication);
        cluster.setSpec(spec);
        Cluster created = client.resource(cluster).create();
        // The Cluster reconciler makes the CA and the admin's Secret; users are issued from that CA.
        await().atMost(WAIT).until(() -> secret(namespace, name + "-admin") != null);
        return created;
    }

    private static User user(String namespace, String name, String cluster, String type,
            List<UserSpec.AclRule> acls) {
        User user = new User();
        user.getMetadata().setName(name);
        user.getMetadata().setNamespace(namespace);
        user.getMetadata().setLabels(Map.of(Topic.CLUSTER_LABEL, cluster));
        UserSpec spec = new UserSpec();
        spec.getAuthentication().setType(type);
        spec.getAuthorization().setAcls(new ArrayList<>(acls));
        user.setSpec(spec);
        return user;
    }

    static UserSpec.AclRule acl(String type, String name, String patternType, List<String> operations) {
        UserSpec.AclRule rule = new UserSpec.AclRule();
        rule.setResource(new UserSpec.AclResource());
        rule.getResource().setType(type);
        rule.getResource().setName(name);
        rule.getResource().setPatternType(patternType);
        rule.setOperations(operations);
        return rule;
    }

    private User get(User user) {
        return client.resources(User.class).inNamespace(user.getMetadata().getNamespace())
                .withName(user.getMetadata().getName()).get();
    }

    private Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    private static Condition ready(User user) {
        return Conditions.find(user.getStatus() == null ? null : user.getStatus().getConditions(), Conditions.READY)
                .orElseThrow(() -> new AssertionError("no Ready condition yet"));
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
