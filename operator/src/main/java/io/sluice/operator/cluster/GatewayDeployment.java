package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.sluice.protocol.contract.GatewayContract;

/** The gateways: stateless pods that advertise the gateway Service, the one address clients need. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class GatewayDeployment extends CRUDKubernetesDependentResource<Deployment, Cluster> {

    public GatewayDeployment() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(Cluster cluster, Context<Cluster> context) {
        Role gateway = Role.GATEWAY;
        GatewaysSpec gateways = cluster.spec().getGateways();
        return new DeploymentBuilder()
                .withMetadata(gateway.objectMeta(cluster))
                .withNewSpec()
                .withReplicas(gateways.getReplicas())
                .withNewSelector().withMatchLabels(gateway.selector(cluster)).endSelector()
                .withTemplate(podTemplate(cluster))
                .endSpec()
                .build();
    }

    /** The gateways' pod template; {@link ContainerPlan} runs its containers without Kubernetes. */
    static PodTemplateSpec podTemplate(Cluster cluster) {
        Role gateway = Role.GATEWAY;
        return new PodTemplateSpecBuilder()
                .withMetadata(ServiceContainers.podMetadata(cluster, gateway))
                .withNewSpec()
                .addToContainers(ServiceContainers.container(cluster, gateway, environment(cluster), ports(cluster))
                        .addAllToVolumeMounts(ClusterSecurity.gatewayMounts(cluster))
                        .build())
                .withVolumes(ClusterSecurity.gatewayVolumes(cluster))
                .endSpec()
                .build();
    }

    private static List<ContainerPort> ports(Cluster cluster) {
        List<ContainerPort> ports = new ArrayList<>();
        ports.add(ServiceContainers.port("kafka", Role.GATEWAY.listener().port()));
        ports.addAll(ClusterSecurity.gatewayPorts(cluster));
        return ports;
    }

    private static List<EnvVar> environment(Cluster cluster) {
        // Clients are sent back to the Service (or the address they reach it at), never to one gateway pod.
        String advertisedHost = cluster.spec().getGateways().getAdvertisedHost();
        List<EnvVar> env = new ArrayList<>(ServiceContainers.listenerEnv(Role.GATEWAY,
                advertisedHost == null || advertisedHost.isBlank() ? Role.GATEWAY.serviceHost(cluster)
                        : advertisedHost));
        env.add(ServiceContainers.env(GatewayContract.ADVERTISED_PORT.env(),
                Integer.toString(cluster.spec().getGateways().getKafkaPort())));
        env.addAll(ClusterSecurity.gatewayEnv(cluster));
        return env;
    }
}
