package io.sluice.cli.cluster;

/** The kinds of process a cluster is made of, and the service module each one runs. */
public enum Role {
    COORDINATOR("coordinator-service", "192m"),
    BROKER("broker-service", "512m"),
    GATEWAY("gateway-service", "256m");

    private final String module;
    private final String heap;

    Role(String module, String heap) {
        this.module = module;
        this.heap = heap;
    }

    public String module() {
        return module;
    }

    public String heap() {
        return heap;
    }

    public String label() {
        return name().toLowerCase();
    }
}
