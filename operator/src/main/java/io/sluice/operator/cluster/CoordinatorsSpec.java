package io.sluice.operator.cluster;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The coordinators: one active replica, or three for failover. */
public class CoordinatorsSpec {

    @JsonPropertyDescription("Number of coordinators: 1, or 3 for failover")
    @ValidationRule(value = "self == 1 || self == 3", message = "coordinators.replicas must be 1 or 3")
    @Default("1")
    private int replicas = 1;

    private StorageSpec storage = new StorageSpec("1Gi");

    @JsonPropertyDescription("CPU and memory of each coordinator container")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Extra JVM options of each coordinator")
    private String jvmOptions;

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public String getJvmOptions() {
        return jvmOptions;
    }

    public void setJvmOptions(String jvmOptions) {
        this.jvmOptions = jvmOptions;
    }
}
