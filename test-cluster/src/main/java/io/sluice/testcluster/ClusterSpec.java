package io.sluice.testcluster;

/** What a test cluster is made of; equal specs can share a cluster. */
public record ClusterSpec(int brokers, int coordinators, int gateways) {

    static ClusterSpec of(SluiceCluster annotation) {
        return new ClusterSpec(annotation.brokers(), annotation.coordinators(), annotation.gateways());
    }

    /** The same brokers and coordinators with this many gateways. */
    ClusterSpec withGateways(int count) {
        return new ClusterSpec(brokers, coordinators, count);
    }

    @Override
    public String toString() {
        return brokers + (brokers == 1 ? " broker, " : " brokers, ") + coordinators
                + (coordinators == 1 ? " coordinator" : " coordinators")
                + (gateways == 1 ? "" : ", " + gateways + " gateways");
    }
}
