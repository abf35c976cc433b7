package io.sluice.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.mock.MockApiServer;
import io.sluice.operator.resource.SluiceResource;
import io.sluice.operator.topic.Topic;
import io.sluice.operator.user.User;

/**
 * {@code kubectl apply -f deploy/crds/ -f deploy/examples/} against the mock API server, as a user installs Sluice,
 * with the operator running. The mock server serves no API discovery, so the test serves the documents kubectl reads.
 */
@QuarkusTest
@QuarkusTestResource(value = MockApiServer.class, restrictToAnnotatedClass = true)
class KubectlApplyTest {

    private static final Path HOME = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesMockServer server;

    @Test
    void theCrdsAndExamplesApplyAndTheClusterIsReconciled() throws Exception {
        assumeTrue(kubectlAvailable(), "kubectl is not installed");
        serveDiscovery();

        Process kubectl = new ProcessBuilder("kubectl", "--server=" + server.url("/"),
                "--insecure-skip-tls-verify=true", "--token=test", "apply", "--validate=false",
                "-f", HOME.resolve("deploy/crds").toString(), "-f", HOME.resolve("deploy/examples").toString())
                .redirectErrorStream(true).start();
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.exitValue()).as(output).isZero();
        assertThat(output).contains("cluster.sluice.io/sluice created", "topic.sluice.io/orders created",
                "cluster.sluice.io/sluice-secure created", "user.sluice.io/orders-app created");

        assertThat(client.resources(Cluster.class).inNamespace("streaming").withName("sluice").get().getSpec()
                .getBrokers().getReplicas()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(StatefulSet.class)
                .inNamespace("streaming").withName("sluice-broker").get() != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Topic topic = client.resources(Topic.class).inNamespace("streaming").withName("orders").get();
            return !topic.getFinalizers().isEmpty() && topic.getStatus() != null
                    && !topic.getStatus().getConditions().isEmpty();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> client.resources(Cluster.class).inNamespace("streaming")
                .withName("sluice").get().getStatus() != null);

        // What the operator wrote (the Topic's finalizer, both statuses) left the specs as the files have them.
        assertAsApplied(Cluster.class, "deploy/examples/cluster.yaml");
        assertAsApplied(Topic.class, "deploy/examples/topic.yaml");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            User user = client.resources(User.class).inNamespace("streaming").withName("orders-app").get();
            return !user.getFinalizers().isEmpty() && user.getStatus() != null;
        });
        assertAsApplied(Cluster.class, "deploy/examples/secure-cluster.yaml");
        assertAsApplied(User.class, "deploy/examples/user.yaml");
    }

    private void assertAsApplied(Class<? extends SluiceResource<?, ?>> type, String file) throws IOException {
        GenericKubernetesResource applied;
        try (InputStream yaml = Files.newInputStream(HOME.resolve(file))) {
            applied = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        }
        GenericKubernetesResource stored = client.genericKubernetesResources(
                ResourceDefinitionContext.fromResourceType(type)).inNamespace(applied.getMetadata().getNamespace())
                .withName(applied.getMetadata().getName()).get();
        assertThat(stored.getAdditionalProperties().get("spec")).as(file)
                .isEqualTo(applied.getAdditionalProperties().get("spec"));
        assertThat(stored.getMetadata().getGeneration()).as(file).isEqualTo(1L);
    }

    private void serveDiscovery() {
        discovery("/api", """
                {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""");
        discovery("/apis", """
                {"kind":"APIGroupList","apiVersion":"v1","groups":[
                 {"name":"apiextensions.k8s.io","versions":[{"groupVersion":"apiextensions.k8s.io/v1","version":"v1"}],
                  "preferredVersion":{"groupVersion":"apiextensions.k8s.io/v1","version":"v1"}},
                 {"name":"sluice.io","versions":[{"groupVersion":"sluice.io/v1alpha1","version":"v1alpha1"}],
                  "preferredVersion":{"groupVersion":"sluice.io/v1alpha1","version":"v1alpha1"}}]}""");
        discovery("/api/v1", """
                {"kind":"APIResourceList","groupVersion":"v1","resources":[
                 {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace",
                  "verbs":["create","delete","get","list","patch","update","watch"]}]}""");
        discovery("/apis/apiextensions.k8s.io/v1", """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apiextensions.k8s.io/v1","resources":[
                 {"name":"customresourcedefinitions","singularName":"customresourcedefinition","namespaced":false,
                  "kind":"CustomResourceDefinition","verbs":["create","delete","get","list","patch","update","watch"]}]}""");
        discovery("/apis/sluice.io/v1alpha1", """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"sluice.io/v1alpha1","resources":[
                 {"name":"clusters","singularName":"cluster","namespaced":true,"kind":"Cluster","shortNames":["scl"],
                  "verbs":["create","delete","get","list","patch","update","watch"]},
                 {"name":"topics","singularName":"topic","namespaced":true,"kind":"Topic","shortNames":["st"],
                  "verbs":["create","delete","get","list","patch","update","watch"]},
                 {"name":"users","singularName":"user","namespaced":true,"kind":"User","shortNames":["su"],
                  "verbs":["create","delete","get","list","patch","update","watch"]}]}""");
    }

    /** kubectl asks with and without its discovery timeout. */
    private void discovery(String path, String json) {
        for (String query : List.of("", "?timeout=32s")) {
            server.expect().get().withPath(path + query).andReturn(200, json).always();
        }
    }

    private static boolean kubectlAvailable() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
