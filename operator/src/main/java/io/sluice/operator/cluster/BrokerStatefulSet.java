package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.JGroupsSettings;

/**
 * The brokers: one pod per broker id (ordinal + 1), each with its own volume for the partition store. Changes reach
 * the pods one at a time through the rolling-update partition ({@link BrokerRollout}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class BrokerStatefulSet extends CRUDKubernetesDependentResource<StatefulSet, Cluster> {

    static final String SERVICE = BrokerContract.SERVICE;

    @Inject
    StoreBalance storeBalance;

    public BrokerStatefulSet() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(Cluster cluster, Context<Cluster> context) {
        BrokersSpec brokers = cluster.getSpec().getBrokers();
        PodTemplateSpec template = template(cluster);
        String templateHash = ClusterEnvironment.hash(
                Map.of("template", context.getClient().getKubernetesSerialization().asJson(template)));
        // The StatefulSet as it is, by name: the dependent's own secondary lookup would ask for this desired state.
        Optional<StatefulSet> actual = eventSource().flatMap(source -> source.get(
                new ResourceID(ClusterNames.broker(cluster), cluster.getMetadata().getNamespace())));
        BrokerRollout step = BrokerRollout.next(brokers.getReplicas(), templateHash, actual,
                () -> storeBalance.balanced(cluster));
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(ClusterNames.broker(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "broker"))
                .addToAnnotations(BrokerRollout.TEMPLATE_HASH, templateHash)
                .endMetadata()
                .withNewSpec()
                .withServiceName(ClusterNames.broker(cluster))
                .withReplicas(step.replicas())
                // Parallel: after a full stop every broker's store waits for the others, so none may wait for another
                // to be ready first. Steps of a change are paced by the operator instead.
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withPartition(step.partition()).endRollingUpdate()
                .endUpdateStrategy()
                .withNewSelector().withMatchLabels(ClusterNames.selector(cluster, "broker")).endSelector()
                .withTemplate(template)
                .withVolumeClaimTemplates(ServiceContainers.dataClaim(brokers.getStorage()))
                .endSpec()
                .build();
    }

    private static PodTemplateSpec template(Cluster cluster) {
        BrokersSpec brokers = cluster.getSpec().getBrokers();
        String domain = ClusterNames.headlessDomain(cluster, ClusterNames.broker(cluster));
        List<EnvVar> env = new ArrayList<>(ServiceContainers.podIdentity());
        env.add(ServiceContainers.env(BrokerContract.PORT.env(), Integer.toString(BrokerContract.KAFKA_PORT)));
        env.add(ServiceContainers.env(BrokerContract.ADVERTISED_HOST.env(), "$(POD_NAME)." + domain));
        env.add(ServiceContainers.env(BrokerContract.JGROUPS.bindAddress().env(), "$(POD_IP)"));
        env.add(ServiceContainers.env(BrokerContract.JGROUPS.bindPort().env(),
                Integer.toString(BrokerContract.JGROUPS_PORT)));
        env.add(ServiceContainers.env(BrokerContract.JGROUPS.dnsQuery().env(), domain + ".cluster.local"));
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(ClusterNames.labels(cluster, "broker"))
                .addToAnnotations("sluice.io/config-hash", ClusterEnvironment.hash(ClusterEnvironment.of(cluster)))
                .endMetadata()
                .withNewSpec()
                .withNewSecurityContext().withFsGroup(ServiceContainers.IMAGE_USER).endSecurityContext()
                // Time for the store to hand its partitions over before the pod is killed.
                .withTerminationGracePeriodSeconds(60L)
                .addToContainers(ServiceContainers.container(cluster, SERVICE, brokers.getJvmOptions(),
                        brokers.getResources(), env, List.of(
                                ServiceContainers.port("kafka", BrokerContract.KAFKA_PORT),
                                ServiceContainers.port("jgroups", BrokerContract.JGROUPS_PORT),
                                ServiceContainers.port("jgroups-fd",
                                        BrokerContract.JGROUPS_PORT + JGroupsSettings.FAILURE_DETECTION_OFFSET)))
                        // The broker id comes from the pod's ordinal: broker-0 is broker 1.
                        .withCommand("/bin/sh", "-c",
                                "export SLUICE_BROKER_ID=$(( ${HOSTNAME##*-} + 1 )); exec " + ServiceContainers.RUN_JAVA)
                        .addNewVolumeMount().withName(ServiceContainers.DATA_VOLUME)
                        .withMountPath(ServiceContainers.DATA_DIR).endVolumeMount()
                        .build())
                .endSpec()
                .build();
    }
}
