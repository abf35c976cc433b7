package io.sluice.operator.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.security.MemberCredential;

/**
 * Asks a ready broker whether the store has finished moving data ({@code GET /store/balance}), through the API
 * server's pod proxy, so the operator needs no network path to the pods and works out of cluster too. On a secured
 * cluster it asks as a member, with the token of the cluster's member secret.
 */
@ApplicationScoped
public class StoreBalance {

    private static final Logger LOG = Logger.getLogger(StoreBalance.class);

    @Inject
    KubernetesClient client;

    /** By member secret, so that a Secret made anew gets its credential anew; deriving one costs a SCRAM hash. */
    private final Map<String, MemberCredential> credentials = new ConcurrentHashMap<>();

    /** True when a ready broker of the cluster answers that no partition is without its owners. */
    public boolean balanced(Cluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        return client.pods().inNamespace(namespace)
                .withLabels(Role.BROKER.selector(cluster)).list().getItems().stream()
                .filter(StoreBalance::ready)
                .findFirst()
                .map(pod -> ask(cluster, pod))
                .orElse(false);
    }

    private boolean ask(Cluster cluster, Pod pod) {
        String path = "/api/v1/namespaces/" + cluster.getMetadata().getNamespace() + "/pods/"
                + pod.getMetadata().getName() + ":" + ServiceContract.HTTP_PORT_DEFAULT + "/proxy"
                + BrokerContract.STORE_BALANCE_PATH;
        // Not client.raw(): it sends no headers of ours.
        HttpClient http = client.getHttpClient();
        HttpRequest.Builder request = http.newHttpRequestBuilder()
                .uri(URLUtils.join(client.getMasterUrl().toString(), path))
                .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS);
        credential(cluster).ifPresent(member -> request.header(MemberCredential.HEADER, member.token()));
        try {
            HttpResponse<String> response = http.sendAsync(request.build(), String.class).get();
            if (!response.isSuccessful()) {
                LOG.debugf("store of %s not balanced yet: HTTP %d", pod.getMetadata().getName(), response.code());
                return false;
            }
            return response.body() != null && response.body().contains("\"balanced\":true");
        } catch (ExecutionException e) {
            LOG.debugf("store of %s not balanced yet: %s", pod.getMetadata().getName(), e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The cluster's member credential; none without security, or while its Secret is not there. */
    private Optional<MemberCredential> credential(Cluster cluster) {
        if (ClusterSecurity.of(cluster).isEmpty()) {
            return Optional.empty();
        }
        Secret secret = client.secrets().inNamespace(cluster.getMetadata().getNamespace())
                .withName(ClusterSecurity.memberSecret(cluster)).get();
        return Optional.ofNullable(secret).map(s -> SecretData.get(s, ClusterSecurity.MEMBER_SECRET))
                .map(value -> credentials.computeIfAbsent(value, MemberCredential::new));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
