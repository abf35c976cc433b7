package io.sluice.operator.cluster;

import io.sluice.operator.resource.ObservedStatus;

/** What the operator last saw of a {@link Cluster}. */
public class ClusterStatus extends ObservedStatus {

    private String clusterId;
    private String kafkaBootstrap;
    private String httpAddress;
    private RoleCounts brokers = new RoleCounts();
    private RoleCounts coordinators = new RoleCounts();
    private RoleCounts gateways = new RoleCounts();

    /** Desired and ready pods of one role. */
    public static class RoleCounts {
        private int replicas;
        private int ready;

        public RoleCounts() {
        }

        public RoleCounts(int replicas, int ready) {
            this.replicas = replicas;
            this.ready = ready;
        }

        public int getReplicas() {
            return replicas;
        }

        public void setReplicas(int replicas) {
            this.replicas = replicas;
        }

        public int getReady() {
            return ready;
        }

        public void setReady(int ready) {
            this.ready = ready;
        }
    }

    public String getClusterId() {
        return clusterId;
    }

    public void setClusterId(String clusterId) {
        this.clusterId = clusterId;
    }

    public String getKafkaBootstrap() {
        return kafkaBootstrap;
    }

    public void setKafkaBootstrap(String kafkaBootstrap) {
        this.kafkaBootstrap = kafkaBootstrap;
    }

    public String getHttpAddress() {
        return httpAddress;
    }

    public void setHttpAddress(String httpAddress) {
        this.httpAddress = httpAddress;
    }

    public RoleCounts getBrokers() {
        return brokers;
    }

    public void setBrokers(RoleCounts brokers) {
        this.brokers = brokers;
    }

    public RoleCounts getCoordinators() {
        return coordinators;
    }

    public void setCoordinators(RoleCounts coordinators) {
        this.coordinators = coordinators;
    }

    public RoleCounts getGateways() {
        return gateways;
    }

    public void setGateways(RoleCounts gateways) {
        this.gateways = gateways;
    }
}
