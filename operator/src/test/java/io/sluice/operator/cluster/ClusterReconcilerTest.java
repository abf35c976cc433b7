package io.sluice.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.sluice.operator.mock.MockApiServer;
import io.sluice.operator.resource.Conditions;
import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.protocol.security.MemberCredential;

/** The Cluster reconciler against fabric8's Kubernetes mock API server, which keeps objects but runs no pods. */
@QuarkusTest
@QuarkusTestResource(value = MockApiServer.class, restrictToAnnotatedClass = true)
class ClusterReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesMockServer server;

    @Inject
    StoreBalance storeBalance;

    private final AtomicReference<Boolean> storeBalanced = new AtomicReference<>();

    @Test
    void aClusterCreatesEveryObjectItNeeds() {
        Cluster cluster = create("alpha", "team-a", spec -> {
            spec.getBrokers().setReplicas(4);
            spec.getBrokers().getStorage().setSize("20Gi");
            spec.getBrokers().getStorage().setStorageClass("fast");
            spec.getBrokers().setJvmOptions("-Xmx1g");
            spec.getCoordinators().setReplicas(3);
            spec.getGateways().setServiceType(GatewaysSpec.ServiceType.LoadBalancer);
            spec.getConfig().put("sluice.coordinator.default-partitions", "6");
        });

        StatefulSet brokers = await().atMost(WAIT).until(() -> get(StatefulSet.class, cluster, "alpha-broker"),
                s -> s != null);
        assertThat(brokers.getSpec().getReplicas()).isEqualTo(4);
        assertThat(brokers.getSpec().getServiceName()).isEqualTo("alpha-broker");
        assertThat(brokers.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
            assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
        });
        Container broker = brokers.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(broker.getImage()).isEqualTo("sluice/broker-service:0.1.0-SNAPSHOT");
        assertThat(broker.getCommand()).last().asString().contains("SLUICE_BROKER_ID=$(( ${HOSTNAME##*-} + 1 ))");
        assertThat(env(broker)).containsEntry("SLUICE_BROKER_JGROUPS_DNS_QUERY",
                "alpha-broker.team-a.svc.cluster.local")
                .containsEntry("SLUICE_BROKER_ADVERTISED_HOST", "$(POD_NAME).alpha-broker.team-a.svc")
                .hasEntrySatisfying("JAVA_OPTS_APPEND", opts -> assertThat(opts).endsWith(" -Xmx1g"));
        assertThat(broker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(broker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(broker.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/var/lib/sluice");
        assertThat(broker.getEnv()).extracting(EnvVar::getName).doesNotContain("SLUICE_SECURITY_MEMBER_SECRET");

        Service headless = await().atMost(WAIT).until(() -> get(Service.class, cluster, "alpha-broker"), s -> s != null);
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getSelector()).isEqualTo(brokers.getSpec().getSelector().getMatchLabels());

        StatefulSet coordinators = await().atMost(WAIT)
                .until(() -> get(StatefulSet.class, cluster, "alpha-coordinator"), s -> s != null);
        assertThat(coordinators.getSpec().getReplicas()).isEqualTo(3);
        await().atMost(WAIT).until(() -> get(Service.class, cluster, "alpha-coordinator"), s -> s != null);

        Deployment gateways = await().atMost(WAIT).until(() -> get(Deployment.class, cluster, "alpha-gateway"),
                d -> d != null);
        Container plainGateway = gateways.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(plainGateway))
                .containsEntry("SLUICE_GATEWAY_ADVERTISED_HOST", "alpha-gateway.team-a.svc")
                .doesNotContainKeys("SLUICE_GATEWAY_HTTP_AUTHENTICATION", "QUARKUS_HTTP_SSL_PORT");
        assertThat(plainGateway.getPorts()).extracting(p -> p.getName()).containsExactly("kafka", "http");
        Service gateway = await().atMost(WAIT).until(() -> get(Service.class, cluster, "alpha-gateway"),
                s -> s != null);
        assertThat(gateway.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(gateway.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(9092, 8080);

        ConfigMap config = await().atMost(WAIT).until(() -> get(ConfigMap.class, cluster, "alpha-config"),
                c -> c != null);
        assertThat(config.getData())
                .containsEntry("SLUICE_COORDINATOR_DEFAULT_PARTITIONS", "6")
                .containsEntry("SLUICE_COORDINATOR_BOOTSTRAP", "alpha-coordinator-0.alpha-coordinator.team-a.svc:9093,"
                        + "alpha-coordinator-1.alpha-coordinator.team-a.svc:9093,"
                        + "alpha-coordinator-2.alpha-coordinator.team-a.svc:9093")
                .containsEntry("SLUICE_COORDINATOR_HTTP_BOOTSTRAP", "alpha-coordinator-0.alpha-coordinator.team-a.svc"
                        + ":8080,alpha-coordinator-1.alpha-coordinator.team-a.svc:8080,"
                        + "alpha-coordinator-2.alpha-coordinator.team-a.svc:8080")
                .containsEntry("SLUICE_COORDINATOR_REPLICAS", "3");
        for (String name : List.of("alpha-broker", "alpha-coordinator", "alpha-gateway")) {
            PodDisruptionBudget budget = await().atMost(WAIT)
                    .until(() -> get(PodDisruptionBudget.class, cluster, name), b -> b != null);
            assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        }

        await().atMost(WAIT).untilAsserted(() -> {
            ClusterStatus status = getCluster(cluster).getStatus();
            assertThat(status.getKafkaBootstrap()).isEqualTo("alpha-gateway.team-a.svc:9092");
            assertThat(status.getBrokers().getReplicas()).isEqualTo(4);
            assertThat(Conditions.find(status.getConditions(), Conditions.READY))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("PodsNotReady"));
        });
    }

    @Test
    void theOperatorWritesTheStatusAndNeverTheSpec() {
        Cluster cluster = create("epsilon", "team-e", spec -> {
            spec.getBrokers().setReplicas(5);
            spec.getBrokers().setJvmOptions("-Xmx3g");
            spec.getGateways().setKafkaPort(19092);
        });

        await().atMost(WAIT).untilAsserted(() -> {
            ClusterStatus status = getCluster(cluster).getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getObservedGeneration()).isEqualTo(1L);
            assertThat(status.getKafkaBootstrap()).endsWith(":19092");
        });
        GenericKubernetesResource stored = client.genericKubernetesResources(
                ResourceDefinitionContext.fromResourceType(Cluster.class)).inNamespace("team-e").withName("epsilon")
                .get();
        assertThat(stored.getAdditionalProperties().get("spec"))
                .isEqualTo(client.getKubernetesSerialization().convertValue(cluster.getSpec(), Map.class));
        assertThat(stored.getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void aSecuredClusterGetsACaAGatewayCertificateAnAdminAMemberSecretAndASaslSslListener() throws Exception {
        Cluster cluster = create("zeta", "team-z", spec -> {
            spec.setSecurity(new SecuritySpec());
            spec.getSecurity().getAuthorization().setSuperUsers(List.of("User:ops"));
        });

        Deployment gateways = await().atMost(WAIT).until(() -> get(Deployment.class, cluster, "zeta-gateway"),
                d -> d != null);
        var pod = gateways.getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        assertThat(env(gateway))
                .containsEntry("SLUICE_GATEWAY_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("SLUICE_GATEWAY_TLS_CERTIFICATE", "/etc/sluice/tls/tls.crt")
                .containsEntry("SLUICE_GATEWAY_TLS_KEY", "/etc/sluice/tls/tls.key")
                .containsEntry("SLUICE_GATEWAY_AUTHORIZATION_ENABLED", "true")
                .containsEntry("SLUICE_GATEWAY_AUTHORIZATION_SUPER_USERS", "User:admin,User:ops")
                .containsEntry("SLUICE_GATEWAY_HTTP_AUTHENTICATION", "basic")
                .containsEntry("QUARKUS_HTTP_SSL_PORT", "8443")
                .doesNotContainKey("SLUICE_GATEWAY_TLS_CLIENT_AUTH");
        // The HTTP API over HTTPS, from the same certificate, reaches the pods through the Service's https port.
        assertThat(gateway.getPorts()).filteredOn(p -> p.getName().equals("https")).singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8443));
        Service service = await().atMost(WAIT).until(() -> get(Service.class, cluster, "zeta-gateway"),
                s -> s != null);
        assertThat(service.getSpec().getPorts()).filteredOn(p -> p.getName().equals("https")).singleElement()
                .satisfies(p -> {
                    assertThat(p.getPort()).isEqualTo(8443);
                    assertThat(p.getTargetPort().getStrVal()).isEqualTo("https");
                });
        assertThat(gateway.getVolumeMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/sluice/tls");
            assertThat(mount.getName()).isEqualTo(pod.getVolumes().get(0).getName());
        });
        assertThat(pod.getVolumes()).singleElement()
                .satisfies(volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo("zeta-gateway-tls"));

        StatefulSet coordinators = await().atMost(WAIT)
                .until(() -> get(StatefulSet.class, cluster, "zeta-coordinator"), s -> s != null);
        assertThat(coordinators.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("SLUICE_SECURITY_ADMIN_PASSWORD")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("zeta-admin");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
                });

        // Every member gets the member secret from its Secret, never as a value in its pod spec or the ConfigMap.
        StatefulSet brokers = await().atMost(WAIT).until(() -> get(StatefulSet.class, cluster, "zeta-broker"),
                s -> s != null);
        for (var template : List.of(brokers.getSpec().getTemplate(), coordinators.getSpec().getTemplate(),
                gateways.getSpec().getTemplate())) {
            assertThat(template.getSpec().getContainers().get(0).getEnv())
                    .filteredOn(e -> e.getName().equals("SLUICE_SECURITY_MEMBER_SECRET")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.getValue()).isNull();
                        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("zeta-member");
                        assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret");
                    });
        }
        assertThat(get(ConfigMap.class, cluster, "zeta-config").getData())
                .doesNotContainKey("SLUICE_SECURITY_MEMBER_SECRET");

        Secret ca = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "zeta-cluster-ca"), s -> s != null);
        Secret tls = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "zeta-gateway-tls"), s -> s != null);
        Secret admin = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "zeta-admin"), s -> s != null);
        Secret member = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "zeta-member"), s -> s != null);
        MemberCredential credential = new MemberCredential(SecretData.get(member, "secret"));
        X509Certificate caCertificate = certificate(SecretData.get(ca, "ca.crt"));
        X509Certificate gatewayCertificate = certificate(SecretData.get(tls, "tls.crt"));
        gatewayCertificate.verify(caCertificate.getPublicKey());
        assertThat(gatewayCertificate.getSubjectAlternativeNames().stream().map(name -> (String) name.get(1)).toList())
                .contains("zeta-gateway.team-z.svc", "zeta-gateway.team-z.svc.cluster.local");
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(SecretData.get(tls, "tls.key")).contains("PRIVATE KEY");
        assertThat(SecretData.get(tls, "ca.crt")).isEqualTo(SecretData.get(ca, "ca.crt"));
        String password = SecretData.get(admin, "password");
        assertThat(password).hasSize(32);
        assertThat(SecretData.get(admin, "sasl.jaas.config"))
                .contains("ScramLoginModule required username=\"admin\" password=\"" + password + "\"");
        Cluster created = getCluster(cluster);
        for (Secret secret : List.of(ca, tls, admin, member)) {
            assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid()));
        }

        // Reconciled again (a spec change), nothing is made anew: clients keep trusting the CA and the password.
        Cluster latest = getCluster(cluster);
        latest.getSpec().getGateways().setReplicas(2);
        client.resource(latest).update();
        await().atMost(WAIT).until(() -> get(Deployment.class, cluster, "zeta-gateway").getSpec().getReplicas() == 2);
        assertThat(SecretData.get(get(Secret.class, cluster, "zeta-cluster-ca"), "ca.key"))
                .isEqualTo(SecretData.get(ca, "ca.key"));
        assertThat(SecretData.get(get(Secret.class, cluster, "zeta-admin"), "password")).isEqualTo(password);
        assertThat(SecretData.get(get(Secret.class, cluster, "zeta-gateway-tls"), "tls.key"))
                .isEqualTo(SecretData.get(tls, "tls.key"));
        assertThat(SecretData.get(get(Secret.class, cluster, "zeta-member"), "secret"))
                .isEqualTo(SecretData.get(member, "secret"));

        // The operator asks a broker of a secured cluster as a member: this one tells only members it is balanced.
        readyBrokerPod(cluster, "zeta-broker-0");
        server.expect().get()
                .withPath("/api/v1/namespaces/team-z/pods/zeta-broker-0:8080/proxy/store/balance")
                .andReply(200, request -> "{\"balanced\":" + credential.admits(request.getHeader("Sluice-Member")) + "}")
                .always();
        assertThat(storeBalance.balanced(latest)).isTrue();
    }

    @Test
    void certificateAuthenticationAndAnOwnCertificateSecret() {
        Cluster cluster = create("eta", "team-h", spec -> {
            spec.setSecurity(new SecuritySpec());
            spec.getSecurity().getAuthentication().setType("tls");
            spec.getSecurity().getTls().setSecretName("eta-cert-manager");
        });

        Deployment gateways = await().atMost(WAIT).until(() -> get(Deployment.class, cluster, "eta-gateway"),
                d -> d != null);
        var pod = gateways.getSpec().getTemplate().getSpec();
        assertThat(env(pod.getContainers().get(0)))
                .containsEntry("SLUICE_GATEWAY_SECURITY_PROTOCOL", "SSL")
                .containsEntry("SLUICE_GATEWAY_TLS_CLIENT_AUTH", "required")
                .containsEntry("SLUICE_GATEWAY_TLS_CLIENT_CA", "/etc/sluice/client-ca/ca.crt")
                .containsEntry("SLUICE_GATEWAY_AUTHORIZATION_SUPER_USERS", "User:CN=admin");
        assertThat(pod.getVolumes()).extracting(v -> v.getSecret().getSecretName())
                .containsExactly("eta-cert-manager", "eta-cluster-ca");
        // The CA's key is never mounted into a gateway.
        assertThat(pod.getVolumes().get(1).getSecret().getItems()).extracting(i -> i.getKey())
                .containsExactly("ca.crt");
        Secret admin = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "eta-admin"), s -> s != null);
        assertThat(SecretData.get(admin, "user.crt")).contains("BEGIN CERTIFICATE");
        assertThat(get(Secret.class, cluster, "eta-gateway-tls")).as("no certificate is issued").isNull();
    }

    @Test
    void aBadSecuritySpecIsReportedAndChangesNothing() {
        Cluster cluster = create("theta", "team-t", spec -> {
            spec.setSecurity(new SecuritySpec());
            spec.getSecurity().getAuthentication().setType("kerberos");
            spec.getSecurity().getAuthorization().setSuperUsers(List.of("ops"));
            spec.getGateways().setHttpPort(8443);
            spec.getSecurity().getCa().setKeyGeneration(-1);
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.find(getCluster(cluster).getStatus()
                .getConditions(), Conditions.READY)).hasValueSatisfying(c -> {
                    assertThat(c.getReason()).isEqualTo("InvalidSpec");
                    assertThat(c.getMessage()).contains("security.authentication.type is \"kerberos\"",
                            "superUsers has \"ops\"", "gateways.httpPort is 8443",
                            "security.ca.keyGeneration is -1");
                }));
        assertThat(get(Deployment.class, cluster, "theta-gateway")).isNull();
        assertThat(get(Secret.class, cluster, "theta-cluster-ca")).isNull();
    }

    @Test
    void deletingAClusterLeavesItsObjectsToTheGarbageCollector() {
        Cluster cluster = create("beta", "team-b", spec -> {
        });
        Cluster created = getCluster(cluster);
        List<Class<? extends HasMetadata>> kinds = List.of(StatefulSet.class, Deployment.class, Service.class,
                ConfigMap.class, PodDisruptionBudget.class);
        await().atMost(WAIT).untilAsserted(() -> assertThat(owned(kinds, created)).hasSize(10));

        for (HasMetadata object : owned(kinds, created)) {
            assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
                assertThat(owner.getKind()).isEqualTo("Cluster");
                assertThat(owner.getApiVersion()).isEqualTo("sluice.io/v1alpha1");
            });
        }
        client.resource(created).delete();
        await().atMost(WAIT).until(() -> getCluster(cluster) == null);
        // The operator deletes nothing itself: Kubernetes' garbage collector follows the owner references.
        assertThat(owned(kinds, created)).hasSize(10);
    }

    @Test
    void anInvalidSpecChangesNothingAndSaysWhy() {
        Cluster cluster = create("gamma", "team-c", spec -> spec.getCoordinators().setReplicas(2));

        await().atMost(WAIT).untilAsserted(() -> {
            ClusterStatus status = getCluster(cluster).getStatus();
            assertThat(status).isNotNull();
            assertThat(Conditions.find(status.getConditions(), Conditions.READY)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                assertThat(c.getMessage()).contains("coordinators.replicas is 2 but must be 1 or 3");
            });
            assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        });
        assertThat(get(StatefulSet.class, cluster, "gamma-broker")).isNull();
    }

    @Test
    void aChangeRollsTheBrokersOneAtATimeOnceTheStoreIsBalanced() {
        Cluster cluster = create("delta", "team-d", spec -> spec.getBrokers().setReplicas(3));
        StatefulSet initial = await().atMost(WAIT).until(() -> get(StatefulSet.class, cluster, "delta-broker"),
                s -> s != null);
        assertThat(partition(initial)).isZero();
        brokersRunning(cluster, 3, 3);
        readyBrokerPod(cluster, "delta-broker-0");
        storeBalanced(cluster, false);

        // A patch of the spec alone, with no resource version to conflict with the status the operator writes.
        client.resources(Cluster.class).inNamespace("team-d").withName("delta")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"brokers\":{\"jvmOptions\":\"-Xmx2g\"}}}");

        await().atMost(WAIT).until(() -> partition(get(StatefulSet.class, cluster, "delta-broker")) == 3);
        StatefulSet held = get(StatefulSet.class, cluster, "delta-broker");
        assertThat(env(held.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .hasEntrySatisfying("JAVA_OPTS_APPEND", opts -> assertThat(opts).endsWith(" -Xmx2g"));
        brokersRunning(cluster, 3, 0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.find(getCluster(cluster).getStatus()
                .getConditions(), Conditions.PROGRESSING)).hasValueSatisfying(
                        c -> assertThat(c.getReason()).isEqualTo("BrokersRolling")));
        // The store still moves data: no broker may restart yet.
        assertThat(partition(get(StatefulSet.class, cluster, "delta-broker"))).isEqualTo(3);

        storeBalanced(cluster, true);
        for (int partition = 2; partition >= 0; partition--) {
            int expected = partition;
            await().atMost(WAIT).until(() -> partition(get(StatefulSet.class, cluster, "delta-broker")) == expected);
            brokersRunning(cluster, 3, 3 - partition);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.find(getCluster(cluster).getStatus()
                .getConditions(), Conditions.PROGRESSING)).hasValueSatisfying(
                        c -> assertThat(c.getReason()).isNotEqualTo("BrokersRolling")));
    }

    @Test
    void certificatesNearTheirExpiryAreIssuedAnewAndTheRestIsKept() throws Exception {
        Cluster cluster = create("iota", "team-i", spec -> spec.setSecurity(new SecuritySpec()));
        Secret ca = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "iota-cluster-ca"), s -> s != null);
        Secret tls = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "iota-gateway-tls"), s -> s != null);
        Secret admin = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "iota-admin"), s -> s != null);
        CertificateAuthority authority = CertificateAuthority.fromPem(SecretData.get(ca, "ca.crt"),
                SecretData.get(ca, "ca.key"));
        // Certificates of the cluster's CA with 20 days left, as a year after the cluster was made.
        CertificateAuthority.Issued expiring = authority.server(List.of("iota-gateway"), Duration.ofDays(20));
        replaceValue(tls, "tls.crt", expiring.certificateChainPem(authority.certificate()));
        CertificateAuthority.Issued expiringAdmin = authority.client("admin", Duration.ofDays(20));
        replaceValue(admin, "user.crt", expiringAdmin.certificateChainPem(authority.certificate()));

        Cluster latest = getCluster(cluster);
        latest.getSpec().getGateways().setReplicas(2);
        client.resource(latest).update();

        Instant nextYear = Instant.now().plus(Duration.ofDays(300));
        await().atMost(WAIT).until(() -> certificate(SecretData.get(get(Secret.class, cluster, "iota-gateway-tls"),
                "tls.crt")).getNotAfter().toInstant().isAfter(nextYear));
        Secret renewed = get(Secret.class, cluster, "iota-gateway-tls");
        certificate(SecretData.get(renewed, "tls.crt")).verify(authority.certificate().getPublicKey());
        assertThat(SecretData.get(renewed, "tls.key")).isNotEqualTo(SecretData.get(tls, "tls.key"));
        await().atMost(WAIT).until(() -> certificate(SecretData.get(get(Secret.class, cluster, "iota-admin"),
                "user.crt")).getNotAfter().toInstant().isAfter(nextYear));
        assertThat(SecretData.get(get(Secret.class, cluster, "iota-admin"), "password"))
                .as("the password stays").isEqualTo(SecretData.get(admin, "password"));
        assertThat(SecretData.get(get(Secret.class, cluster, "iota-cluster-ca"), "ca.key"))
                .isEqualTo(SecretData.get(ca, "ca.key"));
    }

    @Test
    void aClusterCaNearItsExpiryIsRenewedWithItsKeyAndItsCertificatesFollow() throws Exception {
        Cluster cluster = create("omicron", "team-o", spec -> spec.setSecurity(new SecuritySpec()));
        Secret ca = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "omicron-cluster-ca"), s -> s != null);
        Secret tls = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "omicron-gateway-tls"),
                s -> s != null);
        await().atMost(WAIT).until(() -> get(Secret.class, cluster, "omicron-admin"), s -> s != null);
        CertificateAuthority authority = CertificateAuthority.fromPem(SecretData.get(ca, "ca.crt"),
                SecretData.get(ca, "ca.key"));
        // The CA's certificate with 20 days left, as five years after the cluster was made.
        X509Certificate ageing = authority.renewed(Duration.ofDays(20)).certificate();
        replaceValue(ca, "ca.crt", CertificateAuthority.certificatesPem(List.of(ageing)));

        Cluster latest = getCluster(cluster);
        latest.getSpec().getGateways().setReplicas(2);
        client.resource(latest).update();

        Instant inFourYears = Instant.now().plus(Duration.ofDays(4 * 365));
        await().atMost(WAIT).until(() -> CertificateAuthority.certificates(SecretData.get(
                get(Secret.class, cluster, "omicron-cluster-ca"), "ca.crt")).size() == 2);
        Secret renewedCa = get(Secret.class, cluster, "omicron-cluster-ca");
        String trusted = SecretData.get(renewedCa, "ca.crt");
        List<X509Certificate> bundle = CertificateAuthority.certificates(trusted);
        assertThat(bundle.get(0).getNotAfter().toInstant()).isAfter(inFourYears);
        assertThat(bundle.get(0).getPublicKey()).isEqualTo(authority.certificate().getPublicKey());
        assertThat(bundle.get(1)).isEqualTo(ageing);
        assertThat(SecretData.get(renewedCa, "ca.key")).as("the key stays").isEqualTo(SecretData.get(ca, "ca.key"));
        // The gateway's and the admin's Secrets trust both, and their certificates chain to the renewed one.
        for (String name : List.of("omicron-gateway-tls", "omicron-admin")) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(SecretData.get(get(Secret.class, cluster, name),
                    "ca.crt")).as(name).isEqualTo(trusted));
            Secret secret = get(Secret.class, cluster, name);
            List<X509Certificate> chain = CertificateAuthority.certificates(SecretData.get(secret,
                    name.endsWith("-tls") ? "tls.crt" : "user.crt"));
            assertThat(chain.get(1)).as(name).isEqualTo(bundle.get(0));
            chain.get(0).verify(bundle.get(0).getPublicKey());
        }
        assertThat(SecretData.get(get(Secret.class, cluster, "omicron-gateway-tls"), "tls.key"))
                .isNotEqualTo(SecretData.get(tls, "tls.key"));
    }

    @Test
    void raisingTheCaKeyGenerationReplacesTheKeyOnceAndIssuesEveryCertificateAnew() throws Exception {
        Cluster cluster = create("sigma", "team-s", spec -> spec.setSecurity(new SecuritySpec()));
        Secret ca = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "sigma-cluster-ca"), s -> s != null);
        Secret tls = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "sigma-gateway-tls"), s -> s != null);
        Secret admin = await().atMost(WAIT).until(() -> get(Secret.class, cluster, "sigma-admin"), s -> s != null);
        assertThat(ca.getMetadata().getAnnotations()).containsEntry("sluice.io/ca-key-generation", "0");
        X509Certificate oldCa = CertificateAuthority.certificates(SecretData.get(ca, "ca.crt")).get(0);

        Cluster latest = getCluster(cluster);
        latest.getSpec().getSecurity().getCa().setKeyGeneration(1);
        client.resource(latest).update();

        await().atMost(WAIT).until(() -> !SecretData.get(get(Secret.class, cluster, "sigma-cluster-ca"), "ca.key")
                .equals(SecretData.get(ca, "ca.key")));
        Secret replaced = get(Secret.class, cluster, "sigma-cluster-ca");
        assertThat(replaced.getMetadata().getAnnotations()).containsEntry("sluice.io/ca-key-generation", "1");
        String trusted = SecretData.get(replaced, "ca.crt");
        List<X509Certificate> bundle = CertificateAuthority.certificates(trusted);
        assertThat(bundle).hasSize(2).element(1).as("the old key's certificate, for a day").isEqualTo(oldCa);
        assertThat(bundle.get(0).getPublicKey()).isNotEqualTo(oldCa.getPublicKey());
        // The gateway's and the admin's certificates are of the new key; their Secrets trust the bundle.
        for (String name : List.of("sigma-gateway-tls", "sigma-admin")) {
            String certificateKey = name.endsWith("-tls") ? "tls.crt" : "user.crt";
            await().atMost(WAIT).untilAsserted(() -> assertThat(SecretData.get(get(Secret.class, cluster, name),
                    "ca.crt")).as(name).isEqualTo(trusted));
            X509Certificate issued = certificate(SecretData.get(get(Secret.class, cluster, name), certificateKey));
            issued.verify(bundle.get(0).getPublicKey());
            assertThatThrownBy(() -> issued.verify(oldCa.getPublicKey())).as(name)
                    .isInstanceOf(SignatureException.class);
        }
        assertThat(SecretData.get(get(Secret.class, cluster, "sigma-admin"), "password")).as("the password stays")
                .isEqualTo(SecretData.get(admin, "password"));
        assertThat(SecretData.get(get(Secret.class, cluster, "sigma-gateway-tls"), "tls.key"))
                .isNotEqualTo(SecretData.get(tls, "tls.key"));

        // Reconciled again for another change, the key stays: the generation was replaced once.
        latest = getCluster(cluster);
        latest.getSpec().getGateways().setReplicas(2);
        client.resource(latest).update();
        await().atMost(WAIT).until(() -> get(Deployment.class, cluster, "sigma-gateway").getSpec().getReplicas() == 2);
        assertThat(SecretData.get(get(Secret.class, cluster, "sigma-cluster-ca"), "ca.key"))
                .isEqualTo(SecretData.get(replaced, "ca.key"));
    }

    private void replaceValue(Secret secret, String key, String value) {
        Secret current = client.secrets().inNamespace(secret.getMetadata().getNamespace())
                .withName(secret.getMetadata().getName()).get();
        Map<String, String> data = new java.util.LinkedHashMap<>(current.getData());
        data.putAll(SecretData.encode(Map.of(key, value)));
        current.setData(data);
        client.resource(current).update();
    }

    private Cluster create(String name, String namespace, Consumer<ClusterSpec> spec) {
        if (client.namespaces().withName(namespace).get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
        Cluster cluster = new Cluster();
        cluster.getMetadata().setName(name);
        cluster.getMetadata().setNamespace(namespace);
        cluster.setSpec(new ClusterSpec());
        spec.accept(cluster.getSpec());
        return client.resource(cluster).create();
    }

    private Cluster getCluster(Cluster cluster) {
        return client.resources(Cluster.class).inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getMetadata().getName()).get();
    }

    private <T extends HasMetadata> T get(Class<T> kind, Cluster cluster, String name) {
        return client.resources(kind).inNamespace(cluster.getMetadata().getNamespace()).withName(name).get();
    }

    private List<HasMetadata> owned(List<Class<? extends HasMetadata>> kinds, Cluster cluster) {
        return kinds.stream().<HasMetadata> flatMap(kind -> client.resources(kind)
                .inNamespace(cluster.getMetadata().getNamespace()).list().getItems().stream())
                .filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences()
                        .stream().map(OwnerReference::getUid).anyMatch(cluster.getMetadata().getUid()::equals))
                .toList();
    }

    /** What the StatefulSet controller, which the mock server lacks, would report. */
    private void brokersRunning(Cluster cluster, int ready, int updated) {
        StatefulSet set = get(StatefulSet.class, cluster, "delta-broker");
        StatefulSetStatus status = new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration()).withReplicas(set.getSpec().getReplicas())
                .withReadyReplicas(ready).withUpdatedReplicas(updated).build();
        // A patch of the status alone: the operator applies the StatefulSet meanwhile.
        client.resource(set).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                client.getKubernetesSerialization().asJson(Map.of("status", status)));
    }

    private void readyBrokerPod(Cluster cluster, String name) {
        client.resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(Role.BROKER.selector(cluster)).endMetadata()
                .withNewSpec().addNewContainer().withName("broker-service").withImage("sluice/broker-service")
                .endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
    }

    /** The broker's {@code GET /store/balance}, reached through the API server's pod proxy. */
    private void storeBalanced(Cluster cluster, boolean balanced) {
        if (storeBalanced.getAndSet(balanced) == null) {
            server.expect().get()
                    .withPath("/api/v1/namespaces/" + cluster.getMetadata().getNamespace()
                            + "/pods/delta-broker-0:8080/proxy/store/balance")
                    .andReply(200, request -> "{\"balanced\":" + storeBalanced.get() + "}")
                    .always();
        }
    }

    private static int partition(StatefulSet set) {
        return set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
