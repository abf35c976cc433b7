package io.sluice.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import io.sluice.replication.MemberPorts;
import io.sluice.replication.NodeSettings;

/** A real store cluster for tests: nodes on free loopback ports in this JVM, each with its own temporary data dir. */
final class StoreCluster implements AutoCloseable {

    static final long MEMORY = 64L << 20;
    /** Held so that the levels stick: Infinispan and JGroups report every view and rebalance at INFO. */
    private static final List<Logger> QUIET = Stream.of("org.infinispan", "org.jgroups").map(Logger::getLogger)
            .toList();

    static {
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    private final String name;
    private final Path root;
    private final int[] ports;
    private final PartitionStore[] nodes;

    private StoreCluster(String name, Path root, int[] ports) {
        this.name = name;
        this.root = root;
        this.ports = ports;
        this.nodes = new PartitionStore[ports.length];
    }

    /** Starts {@code size} nodes, all at once. */
    static StoreCluster of(int size) {
        StoreCluster cluster = create(size);
        cluster.startAll();
        return cluster;
    }

    /** Starts {@code size} nodes, all at once, and waits until they form one settled cluster. */
    static StoreCluster stable(int size) {
        StoreCluster cluster = of(size);
        cluster.awaitStable(size);
        return cluster;
    }

    /** Plans a cluster of {@code size} nodes (ports, data dirs) without starting any. */
    static StoreCluster create(int size) {
        try {
            int[] ports = MemberPorts.free(size);
            Path root = Files.createTempDirectory("store-cluster");
            return new StoreCluster("store-test-" + ports[0], root, ports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of nodes, running or not. */
    int size() {
        return nodes.length;
    }

    PartitionStore node(int i) {
        return nodes[i];
    }

    List<PartitionStore> running() {
        return Stream.of(nodes).filter(n -> n != null).toList();
    }

    static String nodeName(int i) {
        return "node-" + i;
    }

    Path dataDir(int i) {
        return root.resolve(nodeName(i));
    }

    String initialHosts() {
        return IntStream.of(ports).mapToObj(p -> "127.0.0.1[" + p + "]").reduce((a, b) -> a + "," + b).orElseThrow();
    }

    StoreSettings settings(int i) {
        return new StoreSettings(new NodeSettings(nodeName(i), name, dataDir(i), "127.0.0.1", ports[i], initialHosts(),
                Optional.empty()), MEMORY);
    }

    /** Starts node i (blocking). */
    PartitionStore startNode(int i) {
        nodes[i] = PartitionStore.start(settings(i));
        return nodes[i];
    }

    /** Starts every node that is not running, in parallel (a restored cluster waits for all its nodes). */
    void startAll() {
        startAll(IntStream.range(0, nodes.length).toArray());
    }

    /** Starts the given nodes in parallel. */
    void startAll(int... which) {
        List<CompletableFuture<PartitionStore>> starts = new ArrayList<>();
        for (int i : which) {
            if (nodes[i] == null) {
                int node = i;
                starts.add(CompletableFuture.supplyAsync(() -> startNode(node),
                        start -> new Thread(start, "start-" + nodeName(node)).start()));
            }
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    }

    /** Waits until every running node sees {@code members} members and every cache is available and settled. */
    void awaitStable(int members) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> running().stream()
                .allMatch(n -> n.members().size() == members && n.available() && !n.rebalancing()));
    }

    /** Stops node i gracefully. */
    void stop(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    /** Stops every running node gracefully, one after the other. */
    void stopAll() {
        for (int i = nodes.length - 1; i >= 0; i--) {
            stop(i);
        }
    }

    @Override
    public void close() {
        stopAll();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
