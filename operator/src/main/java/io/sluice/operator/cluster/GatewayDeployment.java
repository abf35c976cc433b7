package io.sluice.operator.cluster;

import java.util.List;

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

    static final String SERVICE = GatewayContract.SERVICE;

    public GatewayDeployment() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(Cluster cluster, Context<Cluster> context) {
        GatewaysSpec gateways = cluster.getSpec().getGateways();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(ClusterNames.gateway(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "gateway"))
                .endMetadata()
                .withNewSpec()
                .withReplicas(gateways.getReplicas())
                .withNewSelector().withMatchLabels(ClusterNames.selector(cluster, "gateway")).endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(ClusterNames.labels(cluster, "gateway"))
                .addToAnnotations("sluice.io/config-hash", ClusterEnvironment.hash(ClusterEnvironment.of(cluster)))
                .endMetadata()
                .withNewSpec()
                .addToContainers(ServiceContainers.container(cluster, SERVICE, gateways.getJvmOptions(),
                        gateways.getResources(), List.of(
                                ServiceContainers.env(GatewayContract.PORT.env(),
                                        Integer.toString(GatewayContract.KAFKA_PORT)),
                                // Clients are sent back to the Service, never to one gateway pod.
                                ServiceContainers.env(GatewayContract.ADVERTISED_HOST.env(), ClusterNames.gatewayHost(cluster)),
                                ServiceContainers.env(GatewayContract.ADVERTISED_PORT.env(),
                                        Integer.toString(gateways.getKafkaPort()))),
                        List.of(ServiceContainers.port("kafka", GatewayContract.KAFKA_PORT)))
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
