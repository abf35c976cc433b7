package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.ResourceRequirements;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the section of every {@link Role} in a {@link ClusterSpec} holds: its pods' number, resources and JVM. */
public abstract class RoleSpec {

    @JsonPropertyDescription("CPU and memory of the container of each pod")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Extra JVM options of each pod, e.g. -Xmx2g")
    private String jvmOptions;

    /** How many pods of this role the cluster runs: each role declares its own default and bounds. */
    public abstract int getReplicas();

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
