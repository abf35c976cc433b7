package io.sluice.coordinator.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;

import io.sluice.replication.MemberPorts;
import io.sluice.replication.NodeSettings;

/** State stores for tests. */
public final class StateStores {

    private StateStores() {
    }

    /** A store of one replica alone in its cluster, on a free loopback port, with a fresh directory of its own. */
    public static StateStore alone(String cluster) throws IOException {
        int port = MemberPorts.free(1)[0];
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
        channel(store).getProtocolStack().insertProtocol(new DISCARD().discardAll(true), ProtocolStack.Position.ABOVE,
                TCP.class);
    }

    /** Ends a {@link #cutOff}: the replica hears the others again, and JGroups merges the views. */
    public static void heal(StateStore store) {
        channel(store).getProtocolStack().removeProtocol(DISCARD.class);
    }

    /** The replica's JGroups address, which orders it in JGroups' own merge policy. */
    public static Address address(StateStore store) {
        return channel(store).getAddress();
    }

    private static JChannel channel(StateStore store) {
        return ((JGroupsTransport) GlobalComponentRegistry.componentOf(store.node().manager(), Transport.class))
                .getChannel();
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
}
