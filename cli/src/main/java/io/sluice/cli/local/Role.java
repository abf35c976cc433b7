package io.sluice.cli.local;

import java.util.List;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;

/** The kinds of process a cluster is made of, the service module each one runs, its heap and its collector. */
public enum Role {
    COORDINATOR(CoordinatorContract.SERVICE, "192m", GarbageCollectors.SERIAL),
    // The store keeps a quarter of the heap of partition data in memory (sluice.broker.store.memory-max), and the
    // leaders a sixteenth of their newest chunks (recent-bytes).
    BROKER(BrokerContract.SERVICE, "512m", GarbageCollectors.SHORT_PAUSES),
    GATEWAY(GatewayContract.SERVICE, "256m", GarbageCollectors.SERIAL);

    private final String module;
    private final String heap;
    private final List<String> collector;

    Role(String module, String heap, List<String> collector) {
        this.module = module;
        this.heap = heap;
        this.collector = collector;
    }

    /** The Maven module whose Quarkus fast-jar this role runs. */
    public String module() {
        return module;
    }

    /** The member's maximum heap, as {@code -Xmx} takes it. */
    public String heap() {
        return heap;
    }

    /** The garbage collector's options. */
    public List<String> collector() {
        return collector;
    }

    public String label() {
        return name().toLowerCase();
    }

    private static final class GarbageCollectors {
        /** Small heaps whose data is short-lived, on a machine of a few cores: the serial collector costs least. */
        static final List<String> SERIAL = List.of("-XX:+UseSerialGC");
        /**
         * A broker's heap holds partition data for tens of seconds (the store's memory, the leaders' newest chunks),
         * so it keeps filling the old generation, and the serial collector then stops the broker for a full
         * collection of 100-200 ms every half minute, which stalls every acks=all write it owns: at 5,000 records/s
         * that set the p99 of end-to-end latency: 44-178 ms on a warm local cluster (median 83 of five runs), 27-124
         * ms with G1 (median 38 of seven), which reclaims the old generation a little at a time, at no more CPU per
         * record produced. Kafka runs its brokers so too.
         */
        static final List<String> SHORT_PAUSES = List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20");
    }
}
