package io.sluice.coordinator.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;

import io.sluice.replication.NodeSettings;

/** State stores for tests. */
public final class StateStores {

    private StateStores() {
    }

    /** A store of one replica alone in its cluster, on a free loopback port, with a fresh directory of its own. */
    public static StateStore alone(String cluster) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory(cluster);
        StateStore store = StateStore.start(new NodeSettings("test", cluster, dir, "127.0.0.1", port,
                "127.0.0.1[" + port + "]", Optional.empty()), 1);
        store.hold();
        return store;
    }

    /**
     * Cuts a replica off from the others as a network partition would: every JGroups message to or from it is
     * dropped (the others stop hearing its heartbeats, and it theirs), while its sockets stay open.
     */
    public static void cutOff(StateStore store) throws Exception {
        JGroupsTransport transport = (JGroupsTransport) GlobalComponentRegistry
                .componentOf(store.node().manager(), Transport.class);
        transport.getChannel().getProtocolStack().insertProtocol(new DISCARD().discardAll(true),
                ProtocolStack.Position.ABOVE, TCP.class);
    }

    /**
     * Watches two conditions until each has held once, or {@code within} has passed: how many milliseconds after this
     * call each first held, -1 for one that never did.
     */
    public static long[] msUntilEach(Duration within, BooleanSupplier first, BooleanSupplier second)
            throws InterruptedException {
        long start = System.nanoTime();
        long[] after = { -1, -1 };
        while ((after[0] < 0 || after[1] < 0) && System.nanoTime() - start < within.toNanos()) {
            long now = (System.nanoTime() - start) / 1_000_000;
            if (after[0] < 0 && first.getAsBoolean()) {
                after[0] = now;
            }
            if (after[1] < 0 && second.getAsBoolean()) {
                after[1] = now;
            }
            Thread.sleep(10);
        }
        return after;
    }

    /** Loopback ports free now, each with its failure-detection port (+100) free too. */
    public static int[] freePorts(int count) {
        int[] ports = new int[count];
        int found = 0;
        while (found < count) {
            // Below Linux's ephemeral range (32768 up): a replica restarted on its port must not find it taken by
            // another replica's outgoing connection.
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            int candidate = port;
            boolean clash = Arrays.stream(ports, 0, found)
                    .anyMatch(p -> Math.abs(p - candidate) <= 1 || Math.abs(Math.abs(p - candidate) - 100) <= 1);
            if (!clash && bindable(port) && bindable(port + 100)) {
                ports[found++] = port;
            }
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
