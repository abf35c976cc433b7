package io.sluice.operator.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.generator.annotation.Default;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a {@link Cluster} should look like. */
public class ClusterSpec {

    @JsonPropertyDescription("Image repository prefix: the pods run <image>/broker-service, <image>/coordinator-service and <image>/gateway-service")
    @Default("sluice")
    private String image = "sluice";

    @JsonPropertyDescription("Image tag of the services (the Sluice version)")
    @Default("0.1.0-SNAPSHOT")
    private String version = "0.1.0-SNAPSHOT";

    @JsonPropertyDescription("Image pull policy of every pod")
    @Default("IfNotPresent")
    private PullPolicy imagePullPolicy = PullPolicy.IfNotPresent;

    private BrokersSpec brokers = new BrokersSpec();

    private CoordinatorsSpec coordinators = new CoordinatorsSpec();

    private GatewaysSpec gateways = new GatewaysSpec();

    @JsonPropertyDescription("TLS, authentication and ACLs on the gateway's Kafka listener; off when unset")
    private SecuritySpec security;

    @JsonPropertyDescription("Cluster-wide service settings given to every pod, e.g. sluice.coordinator.default-partitions: \"3\"")
    private Map<String, String> config = new LinkedHashMap<>();

    /** Kubernetes image pull policies. */
    public enum PullPolicy {
        Always,
        IfNotPresent,
        Never
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public PullPolicy getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(PullPolicy imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public BrokersSpec getBrokers() {
        return brokers;
    }

    public void setBrokers(BrokersSpec brokers) {
        this.brokers = brokers;
    }

    public CoordinatorsSpec getCoordinators() {
        return coordinators;
    }

    public void setCoordinators(CoordinatorsSpec coordinators) {
        this.coordinators = coordinators;
    }

    public GatewaysSpec getGateways() {
        return gateways;
    }

    public void setGateways(GatewaysSpec gateways) {
        this.gateways = gateways;
    }

    public SecuritySpec getSecurity() {
        return security;
    }

    public void setSecurity(SecuritySpec security) {
        this.security = security;
    }

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }
}
