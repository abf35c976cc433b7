package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** At most one gateway pod evicted at a time by node drains and other voluntary disruptions. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class GatewayDisruptionBudget extends CRUDKubernetesDependentResource<PodDisruptionBudget, Cluster> {

    public GatewayDisruptionBudget() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(Cluster cluster, Context<Cluster> context) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(ClusterNames.gateway(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "gateway"))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(ClusterNames.selector(cluster, "gateway")).endSelector()
                .endSpec()
                .build();
    }
}
