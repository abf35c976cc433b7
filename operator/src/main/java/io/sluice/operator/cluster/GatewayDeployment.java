package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
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
                .withNewTemplate()
                .withMetadata(ServiceContainers.podMetadata(cluster, gateway))
                .withNewSpec()
                .addToContainers(ServiceContainers.container(cluster, gateway, environment(cluster),
                        List.of(ServiceContainers.port("kafka", gateway.listener().port())))
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static List<EnvVar> environment(Cluster cluster) {
        // Clients are sent back to the Service, never to one gateway pod.
        List<EnvVar> env = new ArrayList<>(ServiceContainers.listenerEnv(Role.GATEWAY,
                Role.GATEWAY.serviceHost(cluster)));
        env.add(ServiceContainers.env(GatewayContract.ADVERTISED_PORT.env(),
                Integer.toString(cluster.spec().getGateways().getKafkaPort())));
        return env;
    }
}
