package io.sluice.cli.local;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;

/** The kinds of process a cluster is made of, the service module each one runs and its heap. */
public enum Role {
    COORDINATOR(CoordinatorContract.SERVICE, "192m"),
    // The store keeps a quarter of the heap of partition data in memory (sluice.broker.store.memory-max), and the
    // leaders a sixteenth of their newest chunks (recent-bytes).
    BROKER(BrokerContract.SERVICE, "512m"),
    GATEWAY(GatewayContract.SERVICE, "256m");

    private final String module;
    private final String heap;

    Role(String module, String heap) {
        this.module = module;
        this.heap = heap;
    }

    /** The Maven module whose Quarkus fast-jar this role runs. */
    public String module() {
        return module;
    }

    /** The member's maximum heap, as {@code -Xmx} takes it. */
    public String heap() {
        return heap;
    }

    public String label() {
        return name().toLowerCase();
    }
}
