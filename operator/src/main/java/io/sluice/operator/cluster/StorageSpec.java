package io.sluice.operator.cluster;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The persistent volume each pod of a role claims. */
public class StorageSpec {

    @JsonPropertyDescription("Size of each pod's volume, e.g. 10Gi")
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
    @Default("10Gi")
    private String size = "10Gi";

    @JsonPropertyDescription("Storage class of the volumes; the cluster's default class when unset")
    private String storageClass;

    public StorageSpec() {
    }

    public StorageSpec(String size) {
        this.size = size;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getStorageClass() {
        return storageClass;
    }

    public void setStorageClass(String storageClass) {
        this.storageClass = storageClass;
    }
}
