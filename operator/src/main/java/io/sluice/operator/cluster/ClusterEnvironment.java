package io.sluice.operator.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.ServiceContract;
import io.sluice.protocol.contract.Setting;

/**
 * The settings every pod of a cluster reads from its ConfigMap, as environment variables ({@code sluice.a-b} ⇔
 * {@code SLUICE_A_B}, the services' 12-factor mapping).
 */
final class ClusterEnvironment {

    private ClusterEnvironment() {
    }

    static Map<String, String> of(Cluster cluster) {
        Map<String, String> env = new TreeMap<>();
        env.put(ServiceContract.HTTP_PORT.env(), Integer.toString(ServiceContract.HTTP_PORT_DEFAULT));
        env.put(ServiceContract.DATA_DIR.env(), ServiceContainers.DATA_DIR);
        env.put(CoordinatorContract.BOOTSTRAP.env(), ClusterNames.coordinatorBootstrap(cluster));
        env.put(CoordinatorContract.HTTP_BOOTSTRAP.env(), ClusterNames.coordinatorHttpBootstrap(cluster));
        // The active coordinator needs a majority of this many replicas in its view.
        env.put(CoordinatorContract.REPLICAS.env(), Integer.toString(cluster.spec().getCoordinators().getReplicas()));
        // Kafka's default replication factor of 3 cannot be met by a smaller cluster.
        env.put(CoordinatorContract.DEFAULT_REPLICATION_FACTOR.env(),
                Integer.toString(Math.min(3, cluster.spec().getBrokers().getReplicas())));
        cluster.spec().getConfig().forEach((key, value) -> env.put(Setting.env(key), value));
        return env;
    }

    /** A short digest of the settings: in the pod templates, so that a changed setting rolls the pods. */
    static String hash(Map<String, String> values) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(values).forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
