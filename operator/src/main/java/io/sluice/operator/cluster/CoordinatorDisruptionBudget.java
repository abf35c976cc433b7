package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** At most one coordinator pod evicted at a time by node drains and other voluntary disruptions. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class CoordinatorDisruptionBudget extends CRUDKubernetesDependentResource<PodDisruptionBudget, Cluster> {

    public CoordinatorDisruptionBudget() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(Cluster cluster, Context<Cluster> context) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(ClusterNames.coordinator(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "coordinator"))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(ClusterNames.selector(cluster, "coordinator")).endSelector()
                .endSpec()
                .build();
    }
}
