package io.sluice.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import io.sluice.cli.cluster.ClusterLayout;
import io.sluice.cli.cluster.LocalCluster;
import io.sluice.cli.cluster.Member;

/**
 * Hands a test class a real Sluice cluster: coordinator, brokers and gateway as separate JVMs on free loopback ports,
 * data in a temporary directory, stopped and deleted afterwards (members' logs are printed when a test fails).
 */
public final class SluiceClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final int brokers;
    private Path dataDir;
    private LocalCluster cluster;

    private SluiceClusterExtension(int brokers) {
        this.brokers = brokers;
    }

    public static SluiceClusterExtension withBrokers(int brokers) {
        return new SluiceClusterExtension(brokers);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("sluice-" + context.getRequiredTestClass().getSimpleName() + "-");
        cluster = new LocalCluster(home(), ClusterLayout.onFreePorts(dataDir, brokers));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly));
        cluster.start(System.out::println, START_TIMEOUT);
    }

    private static Path home() {
        return Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopQuietly();
        deleteDataDir();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (Member member : cluster.layout().members()) {
            System.out.println("---- " + member.name() + " log tail ----\n" + cluster.logTail(member, 60));
        }
    }

    public String bootstrapServers() {
        return cluster.layout().bootstrapServers();
    }

    public String httpUrl() {
        return cluster.layout().httpUrl();
    }

    /** SIGKILL of one member, as in a crash. */
    public void kill(String member) {
        cluster.kill(member);
    }

    /** Starts a stopped or killed member again and waits until it is ready. */
    public void start(String member) {
        cluster.start(member, START_TIMEOUT);
    }

    /** Stops the whole cluster as {@code sluice down} does, then starts it again on the same data. */
    public void restart() {
        cluster.stop(System.out::println);
        cluster.start(System.out::println, START_TIMEOUT);
    }

    private void stopQuietly() {
        if (cluster != null && cluster.running()) {
            cluster.stop(p -> {
            });
        }
    }

    private void deleteDataDir() {
        if (dataDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
