package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The settings shared by every pod of the cluster, read as environment variables. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class ClusterConfigMap extends CRUDKubernetesDependentResource<ConfigMap, Cluster> {

    public ClusterConfigMap() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(Cluster cluster, Context<Cluster> context) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(ClusterNames.config(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "config"))
                .endMetadata()
                .withData(ClusterEnvironment.of(cluster))
                .build();
    }
}
