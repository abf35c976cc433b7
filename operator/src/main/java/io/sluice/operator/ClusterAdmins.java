package io.sluice.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterNames;
import io.sluice.operator.cluster.ClusterSecurity;
import io.sluice.operator.cluster.SecretData;

/**
 * One kafka-clients {@link Admin} per cluster bootstrap, kept open between reconciles. On a secured cluster it
 * connects as the cluster's admin (SCRAM-SHA-512, or its client certificate) and trusts the CA in the gateway's
 * certificate Secret; a changed Secret opens a new one.
 */
@ApplicationScoped
public class ClusterAdmins {

    @Inject
    OperatorConfig config;

    @Inject
    KubernetesClient client;

    private record Connection(Map<String, String> settings, Admin admin) {
    }

    private final Map<String, Connection> admins = new ConcurrentHashMap<>();

    /**
     * The bootstrap the operator reaches {@code cluster} at: the override (for a secured cluster the secure one, when
     * set), or its gateway Service.
     */
    public String bootstrap(Cluster cluster) {
        Optional<String> secure = ClusterSecurity.of(cluster).isPresent()
                ? config.secureBootstrapOverride().filter(s -> !s.isBlank())
                : Optional.empty();
        return secure.or(() -> config.bootstrapOverride().filter(s -> !s.isBlank()))
                .orElseGet(() -> ClusterNames.kafkaBootstrap(cluster));
    }

    /**
     * The Admin of {@code cluster}.
     *
     * @throws IllegalStateException when a Secret it connects with is missing or lacks a key
     */
    public Admin admin(Cluster cluster) {
        String bootstrap = bootstrap(cluster);
        Map<String, String> settings = settings(cluster, bootstrap);
        return admins.compute(bootstrap, (key, open) -> {
            if (open != null && open.settings().equals(settings)) {
                return open;
            }
            if (open != null) {
                open.admin().close(Duration.ZERO);
            }
            Properties props = new Properties();
            props.putAll(settings);
            return new Connection(settings, Admin.create(props));
        }).admin();
    }

    /** Calls to {@link Admin} wait this long at most. */
    public Duration timeout() {
        return config.adminTimeout();
    }

    private Map<String, String> settings(Cluster cluster, String bootstrap) {
        Map<String, String> props = new TreeMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-operator");
        String timeoutMs = Long.toString(config.adminTimeout().toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "2000");
        if (ClusterSecurity.of(cluster).isEmpty()) {
            return props;
        }
        String namespace = cluster.getMetadata().getNamespace();
        Secret tls = secret(namespace, ClusterSecurity.gatewayTlsSecret(cluster));
        Secret admin = secret(namespace, ClusterSecurity.adminSecret(cluster));
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, ClusterSecurity.securityProtocol(cluster));
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        props.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, value(tls, ClusterSecurity.CA_CERTIFICATE));
        if (ClusterSecurity.certificateAuthentication(cluster)) {
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
                    value(admin, ClusterSecurity.USER_CERTIFICATE));
            props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, value(admin, ClusterSecurity.USER_KEY));
        } else {
            props.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            props.put(SaslConfigs.SASL_JAAS_CONFIG,
                    ClusterSecurity.scramJaasConfig(ClusterSecurity.ADMIN, value(admin, ClusterSecurity.PASSWORD)));
        }
        return props;
    }

    private Secret secret(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + name + " does not exist (yet)");
        }
        return secret;
    }

    private static String value(Secret secret, String key) {
        String value = SecretData.get(secret, key);
        if (value == null) {
            throw new IllegalStateException("Secret " + secret.getMetadata().getNamespace() + "/"
                    + secret.getMetadata().getName() + " has no " + key);
        }
        return value;
    }

    @PreDestroy
    void close() {
        admins.values().forEach(open -> open.admin().close(Duration.ofSeconds(2)));
        admins.clear();
    }
}
