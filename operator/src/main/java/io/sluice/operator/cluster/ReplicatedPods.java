package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.sluice.protocol.contract.JGroupsSettings;

/**
 * What the StatefulSets of the {@linkplain Role#replicated() replicated roles} share: each pod advertises its own DNS
 * name under the role's headless Service, finds its peers over JGroups by that Service's records, and keeps its data
 * on a volume of its own.
 */
final class ReplicatedPods {

    private ReplicatedPods() {
    }

    /** The container of a pod of {@code role}. */
    static ContainerBuilder container(Cluster cluster, Role role) {
        String domain = role.serviceHost(cluster);
        Role.Peers peers = role.peers();
        List<EnvVar> env = new ArrayList<>(ServiceContainers.podIdentity());
        env.addAll(ServiceContainers.listenerEnv(role, "$(POD_NAME)." + domain));
        env.add(ServiceContainers.env(peers.settings().bindAddress().env(), "$(POD_IP)"));
        env.add(ServiceContainers.env(peers.settings().bindPort().env(), Integer.toString(peers.port())));
        env.add(ServiceContainers.env(peers.settings().dnsQuery().env(), domain + ".cluster.local"));
        return ServiceContainers.container(cluster, role, env, List.of(
                ServiceContainers.port("kafka", role.listener().port()),
                ServiceContainers.port("jgroups", peers.port()),
                ServiceContainers.port("jgroups-fd", peers.port() + JGroupsSettings.FAILURE_DETECTION_OFFSET)))
                .addNewVolumeMount().withName(ServiceContainers.DATA_VOLUME)
                .withMountPath(ServiceContainers.DATA_DIR).endVolumeMount();
    }

    /** The pod template of {@code role} around its {@code container}; the volume belongs to the images' user. */
    static PodTemplateSpecBuilder template(Cluster cluster, Role role, Container container) {
        return new PodTemplateSpecBuilder()
                .withMetadata(ServiceContainers.podMetadata(cluster, role))
                .withNewSpec()
                .withNewSecurityContext().withFsGroup(ServiceContainers.IMAGE_USER).endSecurityContext()
                .addToContainers(container)
                .endSpec();
    }

    /** The StatefulSet of {@code role}, without its replicas: they are each role's own business. */
    static StatefulSetBuilder statefulSet(Cluster cluster, Role role, PersistentRoleSpec spec,
            PodTemplateSpec template) {
        return new StatefulSetBuilder()
                .withMetadata(role.objectMeta(cluster))
                .withNewSpec()
                .withServiceName(role.objectName(cluster))
                // After a full stop every member's persisted state waits for the others, so none may wait for
                // another to be ready first.
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(role.selector(cluster)).endSelector()
                .withTemplate(template)
                .withVolumeClaimTemplates(ServiceContainers.dataClaim(spec.getStorage()))
                .endSpec();
    }
}
