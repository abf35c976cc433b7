package io.sluice.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterNames;

/** One kafka-clients {@link Admin} per cluster bootstrap, kept open between reconciles. */
@ApplicationScoped
public class ClusterAdmins {

    @Inject
    OperatorConfig config;

    private final Map<String, Admin> admins = new ConcurrentHashMap<>();

    /** The bootstrap the operator reaches {@code cluster} at: the override, or its gateway Service. */
    public String bootstrap(Cluster cluster) {
        return config.bootstrapOverride().filter(s -> !s.isBlank())
                .orElseGet(() -> ClusterNames.kafkaBootstrap(cluster));
    }

    public Admin admin(Cluster cluster) {
        return admins.computeIfAbsent(bootstrap(cluster), this::open);
    }

    /** Calls to {@link Admin} wait this long at most. */
    public Duration timeout() {
        return config.adminTimeout();
    }

    private Admin open(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-operator");
        int timeoutMs = (int) config.adminTimeout().toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "2000");
        return Admin.create(props);
    }

    @PreDestroy
    void close() {
        admins.values().forEach(admin -> admin.close(Duration.ofSeconds(2)));
        admins.clear();
    }
}
