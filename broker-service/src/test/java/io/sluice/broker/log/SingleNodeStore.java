package io.sluice.broker.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.sluice.broker.store.PartitionStore;
import io.sluice.broker.store.StoreSettings;
import io.sluice.protocol.record.BatchValidator;
import io.sluice.replication.NodeSettings;

/**
 * A real partition store of one node for a test class, on a free loopback port and a temporary data dir, and the
 * partition logs its tests open on it: {@code @RegisterExtension static final SingleNodeStore STORE = ...}.
 */
public final class SingleNodeStore implements BeforeAllCallback, AfterAllCallback {

    /** Kafka's default max.message.bytes, no retention, 1 MiB chunks, 1 MiB of recent chunks. */
    public static final LogSettings SETTINGS = new LogSettings(1_048_588, BatchValidator.Rules.KAFKA_DEFAULTS, -1, -1,
            Cleanup.KAFKA_DEFAULTS, 1 << 20, new RecentMemory(1 << 20));

    private final String name;
    private final AtomicInteger partitions = new AtomicInteger();
    private Path dataDir;
    private PartitionStore store;

    /** {@code name} names the node, its cluster and the topics of {@link #newPartition()}. */
    public SingleNodeStore(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        dataDir = Files.createTempDirectory(name);
        store = PartitionStore.start(new StoreSettings(new NodeSettings(name, name + "-" + port, dataDir, "127.0.0.1",
                port, "127.0.0.1[" + port + "]", Optional.empty()), 64L << 20));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public PartitionStore store() {
        return store;
    }

    /** Partition 0 of a topic no test has used yet. */
    public PartitionId newPartition() {
        int n = partitions.incrementAndGet();
        return new PartitionId(name + "-topic-id-" + n, name + "-topic-" + n, 0);
    }

    /** Takes leadership of the partition at {@code epoch}, replication factor 1, with {@link #SETTINGS}. */
    public PartitionLog open(PartitionId id, int epoch) {
        return open(id, epoch, SETTINGS);
    }

    public PartitionLog open(PartitionId id, int epoch, LogSettings settings) {
        return open(id, epoch, settings, () -> true);
    }

    /** With a leadership lease held while {@code leaseHeld} says so. */
    public PartitionLog open(PartitionId id, int epoch, LogSettings settings, BooleanSupplier leaseHeld) {
        return PartitionLog.open(id, 1, epoch, store, settings, new LogHost() {
            @Override
            public boolean leaseHeld() {
                return leaseHeld.getAsBoolean();
            }

            @Override
            public void gaveUp(PartitionLog log) {
            }
        }).join();
    }
}
