package io.sluice.testcluster;

/** What a test cluster is made of besides its one gateway; equal specs can share a cluster. */
public record ClusterSpec(int brokers, int coordinators) {

    static ClusterSpec of(SluiceCluster annotation) {
        return new ClusterSpec(annotation.brokers(), annotation.coordinators());
    }

    @Override
    public String toString() {
        return brokers + (brokers == 1 ? " broker, " : " brokers, ") + coordinators
                + (coordinators == 1 ? " coordinator" : " coordinators");
    }
}
