package io.sluice.operator.cluster;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.contract.ServiceContract;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The gateways: stateless pods behind one Service that clients bootstrap from. */
public class GatewaysSpec extends RoleSpec {

    @JsonPropertyDescription("Number of gateway pods")
    @Min(1)
    @Default("1")
    private int replicas = 1;

    @JsonPropertyDescription("Type of the gateway Service")
    @Default("ClusterIP")
    private ServiceType serviceType = ServiceType.ClusterIP;

    @JsonPropertyDescription("Kafka port of the gateway Service")
    @Min(1)
    @Max(65535)
    @Default("" + GatewayContract.KAFKA_PORT)
    private int kafkaPort = GatewayContract.KAFKA_PORT;

    @JsonPropertyDescription("HTTP port of the gateway Service")
    @Min(1)
    @Max(65535)
    @Default("" + ServiceContract.HTTP_PORT_DEFAULT)
    private int httpPort = ServiceContract.HTTP_PORT_DEFAULT;

    @JsonPropertyDescription("Host the gateways advertise to Kafka clients: the address clients outside the cluster reach the gateway Service at (a NodePort's or load balancer's); the Service's DNS name when unset")
    private String advertisedHost;

    /** How the gateway Service is exposed. */
    public enum ServiceType {
        ClusterIP,
        NodePort,
        LoadBalancer
    }

    @Override
    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public ServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(ServiceType serviceType) {
        this.serviceType = serviceType;
    }

    public int getKafkaPort() {
        return kafkaPort;
    }

    public void setKafkaPort(int kafkaPort) {
        this.kafkaPort = kafkaPort;
    }

    public String getAdvertisedHost() {
        return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
        this.advertisedHost = advertisedHost;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }
}
