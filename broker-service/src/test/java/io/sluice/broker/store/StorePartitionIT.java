package io.sluice.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.replication.NodeSettings;
import io.sluice.testcluster.NamespacedNetwork;

/**
 * A store node cut off from the others by a real network partition: three nodes in their own JVMs, each in its own
 * network namespace, and the link of one of them taken down, then up again.
 */
class StorePartitionIT {

    private static final int NODES = 3;
    private static final int CUT_OFF = 2;
    private static final int PORT = 7800;
    /**
     * A lane writes a chunk this long after the last one was acknowledged (a leader's group commit under light load),
     * so that checking every offset afterwards stays short.
     */
    private static final long PACE_MS = 100;
    /** After a write fails, a lane waits this long before the next, as a client backs off before it retries. */
    private static final long RETRY_BACKOFF_MS = 200;

    private NamespacedNetwork network;
    private Path root;
    private final StoreNodeProcess[] nodes = new StoreNodeProcess[NODES];

    /**
     * Starts the network and the nodes, and once more if they do not become one available cluster: under load, a node
     * suspected while the three form can leave another's caches degraded after the merge (seen in CI); the test is
     * about a cut once they are one cluster, so such a start is reported and redone, not failed.
     */
    @BeforeEach
    void startCluster() throws IOException {
        long startedAt = System.nanoTime();
        network = NamespacedNetwork.create(NODES);
        root = Files.createTempDirectory("store-partition");
        for (int attempt = 1;; attempt++) {
            startNodes("store-partition-" + ProcessHandle.current().pid() + "-" + attempt);
            try {
                awaitOneAvailableCluster(Duration.ofSeconds(60));
                break;
            } catch (ConditionTimeoutException e) {
                if (attempt == 2) {
                    throw e;
                }
                System.out.printf("StorePartitionIT: the nodes were not one available cluster 60 s after they started"
                        + " (members and availability: %s); starting them again%n",
                        Stream.of(nodes)
                                .map(n -> n.name() + "=" + n.members() + "/" + n.available()).toList());
                Stream.of(nodes).forEach(StoreNodeProcess::kill);
            }
        }
        System.out.printf("StorePartitionIT: network and three nodes up in %d ms%n", ms(System.nanoTime() - startedAt));
    }

    private void startNodes(String cluster) {
        String hosts = String.join(",", IntStream.range(0, NODES).mapToObj(i -> network.address(i) + "[" + PORT + "]")
                .toList());
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            int node = i;
            NodeSettings settings = new NodeSettings(StoreCluster.nodeName(i), cluster,
                    root.resolve(cluster).resolve(StoreCluster.nodeName(i)), network.address(i), PORT, hosts,
                    Optional.empty());
            starts.add(CompletableFuture.runAsync(
                    () -> nodes[node] = StoreNodeProcess.start(network.launcher(node), settings),
                    start -> new Thread(start, "start-" + settings.nodeName()).start()));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    }

    @AfterEach
    void stopCluster() throws IOException {
        try {
            Stream.of(nodes).filter(n -> n != null).forEach(StoreNodeProcess::kill);
        } finally {
            network.close();
            if (root != null) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void nodeCutOffAcknowledgesNothingWhileTheMajorityGoesOnAndTheHealedStoreHoldsExactlyTheAcknowledgedWrites() {
        StoreData data = new StoreData();
        for (int i = 0; i < NODES; i++) {
            for (int rf = 2; rf <= 3; rf++) {
                data.write(nodes[i], rf, "before" + i, 4, 0, 3, "v1");
            }
        }
        List<Lane> minority = List.of(new Lane(data, nodes[CUT_OFF], 3, "minority3"),
                new Lane(data, nodes[CUT_OFF], 2, "minority2"));
        List<Lane> majority = List.of(new Lane(data, nodes[0], 3, "majority3"),
                new Lane(data, nodes[1], 2, "majority2"));
        List<Lane> lanes = Stream.concat(minority.stream(), majority.stream()).toList();
        lanes.forEach(Lane::start);
        await().atMost(Duration.ofSeconds(20)).until(() -> lanes.stream().allMatch(l -> l.acknowledged() >= 5));

        network.cut(CUT_OFF);
        // Only now is the link down: a write started while `ip` ran may have reached every owner.
        long cutAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> nodes[CUT_OFF].members().equals(List.of(StoreCluster.nodeName(CUT_OFF))));
        long aloneAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> minority.stream().allMatch(l -> l.refusedSince(aloneAt) >= 3));
        long refusedAt = minority.stream().mapToLong(l -> l.firstFailureAfter(cutAt)).max().orElseThrow();
        assertThat(nodes[CUT_OFF].available()).as("node-2's caches, alone").isFalse();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes[0].members().size() == 2
                && nodes[1].members().size() == 2 && nodes[0].available() && nodes[1].available());
        // From here on the majority has left node-2 out of its view: before, its writes may still wait for node-2.
        long majorityAloneAt = System.nanoTime();
        int majorityAtView = majority.stream().mapToInt(Lane::acknowledged).sum();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> majority.stream().mapToInt(Lane::acknowledged).sum() >= majorityAtView + 20);
        for (int i = 0; i < 2; i++) {
            data.write(nodes[i], 3, "during" + i, 4, 0, 2, "v1");
            data.write(nodes[i], 2, "during" + i, 4, 0, 2, "v1");
        }

        long healAt = System.nanoTime();
        network.heal(CUT_OFF);
        awaitOneAvailableCluster(Duration.ofSeconds(60));
        long mergedAt = System.nanoTime();
        lanes.forEach(Lane::stop);
        data.write(nodes[CUT_OFF], 3, "after", 4, 0, 2, "v1");

        System.out.printf("StorePartitionIT: node-2 alone %d ms after the cut, every write of it refused %d ms "
                + "after the cut (refusals then take %d ms), the majority wrote on; merged and available %d ms "
                + "after the heal; acknowledged: minority %d, majority %d%n",
                ms(aloneAt - cutAt), ms(refusedAt - cutAt),
                minority.stream().mapToLong(l -> l.slowestRefusalBetween(aloneAt, healAt)).max().orElseThrow(),
                ms(mergedAt - healAt), minority.stream().mapToInt(Lane::acknowledged).sum(),
                majority.stream().mapToInt(Lane::acknowledged).sum());

        for (Lane lane : minority) {
            assertThat(lane.acknowledgedStartedBetween(cutAt, healAt))
                    .as("writes of the cut-off node acknowledged while it was cut off").isEmpty();
            lane.markUncertainOutside(cutAt, healAt);
        }
        for (Lane lane : majority) {
            // A write in flight at the cut, or started before the majority's view left node-2 out, waited for the
            // cut-off owner and may fail (the client retries it); it may have reached the others. So may one started
            // after the heal: while node-2 merges back and takes its share again, a write it owns may wait for it
            // until the remote timeout (seen once in 18 runs, a fresh-clone CI's). Both are checked as uncertain.
            assertThat(lane.failuresStartedBetween(majorityAloneAt, healAt))
                    .as("writes of %s that failed (ms after the cut: majority alone %d, healed %d, merged %d)",
                            lane.topic, ms(majorityAloneAt - cutAt), ms(healAt - cutAt), ms(mergedAt - cutAt))
                    .extracting(a -> a.since(cutAt)).isEmpty();
            lane.markUncertainOutside(majorityAloneAt, healAt);
        }
        System.out.printf("StorePartitionIT: writes of the majority that failed after the heal: %s%n",
                majority.stream().flatMap(l -> l.failuresStartedBetween(healAt, Long.MAX_VALUE).stream())
                        .map(a -> a.since(healAt)).toList());
        long verifyingAt = System.nanoTime();
        Map<String, StoreData.Reader> copies = new LinkedHashMap<>();
        for (StoreNodeProcess node : nodes) {
            data.verify(node.ownCopies(), node.name());
            copies.put(node.name(), node.ownCopies());
        }
        data.verifyUncertain(copies);
        System.out.printf("StorePartitionIT: %d chunks checked on every node in %d ms%n", data.chunks(),
                ms(System.nanoTime() - verifyingAt));
        // Merged back and caught up, node-2 is current: marked away still, it would empty its files at its next start,
        // and after a crash of it and another owner it would be an owner of data it no longer holds.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodes[CUT_OFF].markedAway())
                .as("node-2 marked as away after it merged back").isFalse());
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Waits until every node sees all the others, every cache is available and no data moves. */
    private void awaitOneAvailableCluster(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> Stream.of(nodes)
                .allMatch(n -> n.members().size() == NODES && n.available() && !n.rebalancing()));
    }

    /** One partition written chunk after chunk through one node, as its leader would, recording every attempt. */
    private static final class Lane {
        /** One write, with why it failed (null when acknowledged). */
        private record Attempt(long offset, long startedAt, long endedAt, String failure) {
            boolean acknowledged() {
                return failure == null;
            }

            String since(long time) {
                return "offset %d: %d-%d ms%s".formatted(offset, ms(startedAt - time), ms(endedAt - time),
                        failure == null ? "" : " (" + failure + ")");
            }
        }

        private final StoreData data;
        private final StoreNodeProcess node;
        private final int rf;
        private final String topic;
        private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private CompletableFuture<Void> done;

        Lane(StoreData data, StoreNodeProcess node, int rf, String topic) {
            this.data = data;
            this.node = node;
            this.rf = rf;
            this.topic = topic;
        }

        void start() {
            done = next(0);
        }

        private CompletableFuture<Void> next(long offset) {
            if (!running) {
                return CompletableFuture.completedFuture(null);
            }
            long startedAt = System.nanoTime();
            return data.write(node, rf, new ChunkKey(topic, 0, offset), "v1").handle((written, error) -> {
                attempts.add(new Attempt(offset, startedAt, System.nanoTime(), error == null ? null
                        : String.valueOf((error instanceof CompletionException ? error.getCause() : error)
                                .getMessage())));
                return error == null;
            }).thenCompose(acknowledged -> CompletableFuture.supplyAsync(() -> offset + 1,
                    CompletableFuture.delayedExecutor(acknowledged ? PACE_MS : RETRY_BACKOFF_MS,
                            TimeUnit.MILLISECONDS))
                    .thenCompose(this::next));
        }

        void stop() {
            running = false;
            done.join();
        }

        private List<Attempt> attempts() {
            synchronized (attempts) {
                return List.copyOf(attempts);
            }
        }

        int acknowledged() {
            return (int) attempts().stream().filter(Attempt::acknowledged).count();
        }

        List<Attempt> failuresStartedBetween(long from, long to) {
            return attempts().stream().filter(a -> !a.acknowledged() && a.startedAt() >= from && a.startedAt() < to)
                    .toList();
        }

        long refusedSince(long time) {
            return attempts().stream().filter(a -> !a.acknowledged() && a.startedAt() >= time).count();
        }

        long firstFailureAfter(long time) {
            return attempts().stream().filter(a -> !a.acknowledged() && a.endedAt() >= time)
                    .mapToLong(Attempt::endedAt).min().orElseThrow();
        }

        long slowestRefusalBetween(long from, long to) {
            return attempts().stream().filter(a -> !a.acknowledged() && a.startedAt() >= from && a.startedAt() < to)
                    .mapToLong(a -> ms(a.endedAt() - a.startedAt())).max().orElse(-1);
        }

        List<Attempt> acknowledgedStartedBetween(long from, long to) {
            return attempts().stream().filter(a -> a.acknowledged() && a.startedAt() >= from && a.startedAt() < to)
                    .toList();
        }

        /**
         * A write that failed may have reached every owner if it started before {@code from} (in flight at the cut,
         * or waiting for a cut-off owner still in the view), or after the heal (its chunk stored, its index slot
         * refused while the nodes merged); one that started in between was refused, and must be nowhere.
         */
        void markUncertainOutside(long from, long healAt) {
            attempts().stream().filter(a -> !a.acknowledged() && (a.startedAt() < from || a.startedAt() >= healAt))
                    .forEach(a -> data.uncertain(node, rf, new ChunkKey(topic, 0, a.offset()), "v1"));
        }
    }
}
