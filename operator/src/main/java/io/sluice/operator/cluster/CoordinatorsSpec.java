package io.sluice.operator.cluster;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The coordinators: one active replica, or three for failover. */
public class CoordinatorsSpec extends PersistentRoleSpec {

    @JsonPropertyDescription("Number of coordinators: 1, or 3 for failover")
    @ValidationRule(value = "self == 1 || self == 3", message = "coordinators.replicas must be 1 or 3")
    @Default("1")
    private int replicas = 1;

    public CoordinatorsSpec() {
        super("1Gi");
    }

    @Override
    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }
}
