package io.sluice.operator.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.ServiceContract;

/**
 * Asks a ready broker whether the store has finished moving data ({@code GET /store/balance}), through the API
 * server's pod proxy, so the operator needs no network path to the pods and works out of cluster too.
 */
@ApplicationScoped
public class StoreBalance {

    private static final Logger LOG = Logger.getLogger(StoreBalance.class);

    @Inject
    KubernetesClient client;

    /** True when a ready broker of the cluster answers that no partition is without its owners. */
    public boolean balanced(Cluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        return client.pods().inNamespace(namespace)
                .withLabels(Role.BROKER.selector(cluster)).list().getItems().stream()
                .filter(StoreBalance::ready)
                .findFirst()
                .map(pod -> ask(namespace, pod))
                .orElse(false);
    }

    private boolean ask(String namespace, Pod pod) {
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + pod.getMetadata().getName() + ":"
                + ServiceContract.HTTP_PORT_DEFAULT + "/proxy" + BrokerContract.STORE_BALANCE_PATH;
        try {
            String body = client.raw(path);
            return body != null && body.contains("\"balanced\":true");
        } catch (KubernetesClientException e) {
            LOG.debugf("store of %s not balanced yet: %s", pod.getMetadata().getName(), e.getMessage());
            return false;
        }
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
