package io.sluice.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import io.sluice.cli.cluster.ClusterLayout;
import io.sluice.cli.cluster.LocalCluster;
import io.sluice.cli.cluster.Member;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hands a test class one real Sluice cluster, started as {@code sluice up} starts it ({@link LocalCluster}):
 * coordinator, brokers and gateway as separate JVMs on free loopback ports, data in a temporary directory. Tests
 * reach it through the gateway ({@link #bootstrapServers()}, {@link #httpUrl()}) and can kill, stop and start members
 * by name ({@code coordinator}, {@code broker-1}…, {@code gateway}) or restart the whole cluster on its data.
 *
 * <p>
 * When a test fails, the tail of every member's log is printed and the whole logs are copied to
 * {@code target/cluster-logs/<test class>/}. The cluster is stopped and its data deleted after the class, and a
 * shutdown hook stops it if the test JVM exits first.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final SluiceClusterExtension cluster = SluiceClusterExtension.withBrokers(3);
 * </pre>
 */
public final class SluiceClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final int LOG_TAIL_LINES = 60;

    private final int brokers;
    private final int coordinators;
    private String testClass;
    private Path dataDir;
    private LocalCluster cluster;
    private Thread shutdownHook;

    private SluiceClusterExtension(int brokers, int coordinators) {
        this.brokers = brokers;
        this.coordinators = coordinators;
    }

    /** A cluster of one coordinator, {@code brokers} brokers and one gateway. */
    public static SluiceClusterExtension withBrokers(int brokers) {
        return new SluiceClusterExtension(brokers, 1);
    }

    /** The same with three coordinator replicas ({@code coordinator-1}…{@code coordinator-3}), one of them active. */
    public SluiceClusterExtension withThreeCoordinators() {
        return new SluiceClusterExtension(brokers, 3);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        testClass = context.getRequiredTestClass().getSimpleName();
        dataDir = Files.createTempDirectory("sluice-" + testClass + "-");
        cluster = new LocalCluster(home(), ClusterLayout.onFreePorts(dataDir, brokers, coordinators));
        shutdownHook = new Thread(() -> cluster.shutDown(p -> {
        }), "sluice-cluster-" + testClass);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            cluster.start(line -> System.out.println("[" + testClass + "] " + line), START_TIMEOUT);
        } catch (RuntimeException e) {
            dumpLogs("start failed");
            throw e;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        dumpLogs(context.getDisplayName() + " failed");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                dumpLogs(testClass + " failed");
            }
            cluster.shutDown(line -> System.out.println("[" + testClass + "] " + line));
        } finally {
            removeShutdownHook();
            deleteDataDir();
        }
    }

    /** The Kafka bootstrap address: the gateway, the only address clients need. */
    public String bootstrapServers() {
        return layout().bootstrapServers();
    }

    /** The gateway's HTTP base address. */
    public String httpUrl() {
        return layout().httpUrl();
    }

    /** The members and their ports. */
    public ClusterLayout layout() {
        return cluster.layout();
    }

    public Member member(String name) {
        return layout().member(name);
    }

    /** The cluster's data directory ({@code <dataDir>/<member>} per member). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the member runs and answers ready on {@code /q/health/ready}. */
    public boolean ready(String name) {
        return cluster.process(name).isPresent() && cluster.ready(member(name));
    }

    /** The active coordinator's {@code /cluster}: brokers with liveness, topics with leaders, epochs, replicas and ISR. */
    public Optional<JsonNode> clusterView() {
        return cluster.probe().clusterView(layout().coordinators());
    }

    /** The ids of the brokers the active coordinator counts as alive. */
    public SortedSet<Integer> aliveBrokers() {
        return cluster.probe().aliveBrokers(layout().coordinators());
    }

    /** The coordinator replica that reports itself active, if one does. */
    public Optional<String> activeCoordinator() {
        return layout().coordinators().stream()
                .filter(c -> cluster.process(c.name()).isPresent()
                        && cluster.probe().coordinatorRole(c).filter("active"::equals).isPresent())
                .map(Member::name).findFirst();
    }

    /** SIGKILL of one member: it dies on the spot, as in a crash. */
    public void kill(String name) {
        cluster.kill(name);
    }

    /** Stops one member gracefully (SIGTERM; killed if it has not exited after 30 s). */
    public void stop(String name) {
        cluster.stop(name);
    }

    /** Starts a stopped or killed member again, on its data, and waits until it is ready. */
    public void start(String name) {
        cluster.start(name, START_TIMEOUT);
    }

    /** Stops the whole cluster as {@code sluice down} does, then starts it again on the same data and ports. */
    public void restart() {
        cluster.stop(line -> System.out.println("[" + testClass + "] " + line));
        cluster.start(line -> System.out.println("[" + testClass + "] " + line), START_TIMEOUT);
    }

    /** The last lines a member wrote since it was last started. */
    public String logTail(String name, int lines) {
        return cluster.logTail(member(name), lines);
    }

    private void dumpLogs(String why) {
        Path target = Path.of(System.getProperty("sluice.test.logs", "target/cluster-logs")).resolve(testClass);
        System.out.println("==== " + why + ": member logs (whole logs in " + target.toAbsolutePath() + ") ====");
        for (Member member : layout().members()) {
            System.out.println("---- " + member.name() + " ----\n" + cluster.logTail(member, LOG_TAIL_LINES));
            Path log = layout().logFile(member);
            try {
                if (Files.exists(log)) {
                    Files.createDirectories(target);
                    Files.copy(log, target.resolve(member.name() + ".log"), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                System.out.println("(cannot copy " + log + ": " + e.getMessage() + ")");
            }
        }
    }

    private static Path home() {
        return Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook stops the cluster anyway
        }
    }

    private void deleteDataDir() {
        try (Stream<Path> files = Files.walk(dataDir)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDir, e);
        }
    }
}
