package io.sluice.operator.topic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.cli.cluster.ClusterLayout;
import io.sluice.cli.cluster.LocalCluster;
import io.sluice.cli.cluster.Member;

/**
 * A real Sluice cluster (coordinator, one broker, gateway as separate JVMs on free loopback ports, data in a temporary
 * directory) for the operator under test to manage topics in: the operator reaches it through
 * {@code sluice.operator.bootstrap-override}, as a developer's out-of-cluster operator would.
 */
public class SluiceClusterResource implements QuarkusTestResourceLifecycleManager {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private static volatile String bootstrap;
    private static volatile LocalCluster running;

    private Path dataDir;
    private LocalCluster cluster;
    private Thread shutdownHook;

    /** The cluster's Kafka bootstrap, for the test's own Admin client. */
    public static String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("sluice-operator-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster = new LocalCluster(home(), ClusterLayout.onFreePorts(dataDir, 1, 1));
        shutdownHook = new Thread(() -> cluster.shutDown(line -> {
        }), "sluice-operator-test-cluster");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            cluster.start(line -> System.out.println("[sluice] " + line), START_TIMEOUT);
        } catch (RuntimeException e) {
            for (Member member : cluster.layout().members()) {
                System.out.println("---- " + member.name() + " ----\n" + cluster.logTail(member, 40));
            }
            stop();
            throw e;
        }
        bootstrap = cluster.layout().bootstrapServers();
        running = cluster;
        return Map.of("sluice.operator.bootstrap-override", bootstrap);
    }

    /** Stops one member ({@code gateway}, {@code broker-1}, {@code coordinator}) gracefully. */
    public static void stopMember(String name) {
        running.stop(name);
    }

    /** Starts a stopped member again and waits until it is ready. */
    public static void startMember(String name) {
        running.start(name, START_TIMEOUT);
    }

    @Override
    public void stop() {
        try {
            cluster.shutDown(line -> System.out.println("[sluice] " + line));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook stops the cluster anyway
            }
            delete(dataDir);
        }
    }

    private static Path home() {
        return Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
