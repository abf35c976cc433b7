package io.sluice.operator.cluster;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The brokers: a StatefulSet whose pods keep the partition store on their volumes. */
public class BrokersSpec {

    @JsonPropertyDescription("Number of brokers")
    @Min(1)
    @Default("3")
    private int replicas = 3;

    private StorageSpec storage = new StorageSpec("10Gi");

    @JsonPropertyDescription("CPU and memory of each broker container")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Extra JVM options of each broker, e.g. -Xmx2g")
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
