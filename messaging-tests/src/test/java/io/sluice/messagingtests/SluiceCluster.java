package io.sluice.messagingtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.cli.cluster.ClusterLayout;
import io.sluice.cli.cluster.LocalCluster;

/**
 * One real Sluice cluster for the app under test, started as {@code sluice up} starts it: coordinator, one broker and
 * gateway as separate JVMs on free loopback ports, data in a temporary directory. The app gets the gateway as
 * {@code kafka.bootstrap.servers}; the topics exist before it starts.
 */
public final class SluiceCluster implements QuarkusTestResourceLifecycleManager {

    static final String ORDERS = "orders";
    static final String SHOUTED_ORDERS = "shouted-orders";
    static final int PARTITIONS = 3;

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private Path dataDir;
    private LocalCluster cluster;
    private Thread shutdownHook;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("sluice-messaging-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster = new LocalCluster(home(), ClusterLayout.onFreePorts(dataDir, 1, 1));
        shutdownHook = new Thread(() -> cluster.shutDown(line -> {
        }), "sluice-cluster-messaging");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        cluster.start(line -> System.out.println("[sluice] " + line), START_TIMEOUT);
        String bootstrap = cluster.layout().bootstrapServers();
        createTopics(bootstrap);
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    @Override
    public void stop() {
        try {
            cluster.shutDown(line -> System.out.println("[sluice] " + line));
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } finally {
            delete(dataDir);
        }
    }

    private static void createTopics(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(ORDERS, PARTITIONS, (short) 1),
                    new NewTopic(SHOUTED_ORDERS, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the app's topics", e);
        }
    }

    /** The Sluice checkout whose service jars run (set by the build; the parent directory otherwise). */
    private static Path home() {
        return Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
