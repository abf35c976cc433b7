package io.sluice.operator.mock;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.quarkus.test.kubernetes.client.AbstractKubernetesTestResource;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;

/**
 * fabric8's Kubernetes mock API server in CRUD mode, with expectations beside it, that also serves server-side apply
 * ({@link ServerSideApplyDispatcher}): the operator under test runs with the settings production uses, server-side
 * apply included. A test gets the server in a {@link KubernetesTestServer} field of type
 * {@link KubernetesMockServer}.
 */
public class MockApiServer extends AbstractKubernetesTestResource<KubernetesMockServer, NamespacedKubernetesClient> {

    private NamespacedKubernetesClient client;

    @Override
    protected KubernetesMockServer createServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        // Qualified: the lifecycle manager has a Context of its own.
        return new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                new ServerSideApplyDispatcher(new KubernetesMixedDispatcher(responses)), false);
    }

    @Override
    protected void initServer() {
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @Override
    protected NamespacedKubernetesClient getClient() {
        return client;
    }

    @Override
    public void stop() {
        client.close();
        server.destroy();
    }

    @Override
    protected Class<?> getInjectedClass() {
        return KubernetesMockServer.class;
    }

    @Override
    protected Class<? extends Annotation> getInjectionAnnotation() {
        return KubernetesTestServer.class;
    }
}
