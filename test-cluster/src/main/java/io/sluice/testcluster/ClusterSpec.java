package io.sluice.testcluster;

/**
 * What a test cluster is made of; equal specs can share a cluster.
 *
 * @param networkNamespaces whether each member runs in a network namespace of its own, at an address of its own
 *        ({@link SluiceCluster#networkNamespaces()})
 */
public record ClusterSpec(int brokers, int coordinators, int gateways, boolean networkNamespaces) {

    /** Members on loopback. */
    public ClusterSpec(int brokers, int coordinators, int gateways) {
        this(brokers, coordinators, gateways, false);
    }

    static ClusterSpec of(SluiceCluster annotation) {
        return new ClusterSpec(annotation.brokers(), annotation.coordinators(), annotation.gateways(),
                annotation.networkNamespaces());
    }

    /** The same brokers and coordinators with this many gateways. */
    ClusterSpec withGateways(int count) {
        return new ClusterSpec(brokers, coordinators, count, networkNamespaces);
    }

    @Override
    public String toString() {
        return brokers + (brokers == 1 ? " broker, " : " brokers, ") + coordinators
                + (coordinators == 1 ? " coordinator" : " coordinators")
                + (gateways == 1 ? "" : ", " + gateways + " gateways")
                + (networkNamespaces ? ", each in a network namespace" : "");
    }
}
