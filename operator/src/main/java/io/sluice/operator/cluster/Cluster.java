package io.sluice.operator.cluster;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.sluice.operator.resource.SluiceResource;

/** A Sluice cluster: brokers, coordinators and gateways run by the operator. */
@Group("sluice.io")
@Version("v1alpha1")
@ShortNames("scl")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type=='Ready')].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Brokers", jsonPath = ".status.brokers.ready", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Coordinators", jsonPath = ".status.coordinators.ready", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Gateways", jsonPath = ".status.gateways.ready", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Bootstrap", jsonPath = ".status.kafkaBootstrap", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Cluster extends SluiceResource<ClusterSpec, ClusterStatus> {

    @Override
    protected ClusterSpec defaultSpec() {
        return new ClusterSpec();
    }

    @Override
    protected ClusterStatus newStatus() {
        return new ClusterStatus();
    }
}
