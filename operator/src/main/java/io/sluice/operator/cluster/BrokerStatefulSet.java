package io.sluice.operator.cluster;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.sluice.protocol.contract.BrokerContract;

/**
 * The brokers: one pod per broker id (ordinal + 1), each with its own volume for the partition store. Changes reach
 * the pods one at a time through the rolling-update partition ({@link BrokerRollout}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class BrokerStatefulSet extends CRUDKubernetesDependentResource<StatefulSet, Cluster> {

    @Inject
    StoreBalance storeBalance;

    public BrokerStatefulSet() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(Cluster cluster, Context<Cluster> context) {
        BrokersSpec brokers = cluster.spec().getBrokers();
        PodTemplateSpec template = podTemplate(cluster);
        String templateHash = ClusterEnvironment.hash(
                Map.of("template", context.getClient().getKubernetesSerialization().asJson(template)));
        // The StatefulSet as it is, by name: the dependent's own secondary lookup would ask for this desired state.
        Optional<StatefulSet> actual = eventSource().flatMap(source -> source.get(
                new ResourceID(Role.BROKER.objectName(cluster), cluster.getMetadata().getNamespace())));
        BrokerRollout step = BrokerRollout.next(brokers.getReplicas(), templateHash, actual,
                () -> storeBalance.balanced(cluster));
        return ReplicatedPods.statefulSet(cluster, Role.BROKER, brokers, template)
                .editMetadata().addToAnnotations(BrokerRollout.TEMPLATE_HASH, templateHash).endMetadata()
                .editSpec()
                .withReplicas(step.replicas())
                // Steps of a change are paced by the operator, one ordinal at a time.
                .withNewUpdateStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withPartition(step.partition()).endRollingUpdate()
                .endUpdateStrategy()
                .endSpec()
                .build();
    }

    /** The brokers' pod template; {@link ContainerPlan} runs its containers without Kubernetes. */
    static PodTemplateSpec podTemplate(Cluster cluster) {
        Container broker = ReplicatedPods.container(cluster, Role.BROKER)
                // The broker id comes from the pod's ordinal: broker-0 is broker 1.
                .withCommand("/bin/sh", "-c", "export " + BrokerContract.ID.env() + "=$(( ${HOSTNAME##*-} + 1 )); exec "
                        + ServiceContainers.RUN_JAVA)
                .build();
        return ReplicatedPods.template(cluster, Role.BROKER, broker)
                // Time for the store to hand its partitions over before the pod is killed.
                .editSpec().withTerminationGracePeriodSeconds(60L).endSpec()
                .build();
    }
}
