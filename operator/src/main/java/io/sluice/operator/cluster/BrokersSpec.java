package io.sluice.operator.cluster;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The brokers: a StatefulSet whose pods keep the partition store on their volumes. */
public class BrokersSpec extends PersistentRoleSpec {

    @JsonPropertyDescription("Number of brokers")
    @Min(1)
    @Default("3")
    private int replicas = 3;

    public BrokersSpec() {
        super("10Gi");
    }

    @Override
    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }
}
