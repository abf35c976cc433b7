package io.sluice.operator.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.sluice.operator.ClusterAdmins;
import io.sluice.operator.OperatorConfig;
import io.sluice.operator.resource.Conditions;

/**
 * Turns a {@link Cluster} into its Kubernetes objects (one dependent resource each kind) and reports how far the
 * pods are. An invalid spec changes nothing and says why in the conditions.
 */
@ControllerConfiguration(name = "cluster")
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "config", type = ClusterConfigMap.class),
        @Dependent(name = "headless-services", type = HeadlessServices.class),
        @Dependent(name = "coordinator-statefulset", type = CoordinatorStatefulSet.class),
        @Dependent(name = "broker-statefulset", type = BrokerStatefulSet.class),
        @Dependent(name = "gateway-deployment", type = GatewayDeployment.class),
        @Dependent(name = "gateway-service", type = GatewayService.class),
        @Dependent(name = "disruption-budgets", type = DisruptionBudgets.class)
})
public class ClusterReconciler implements Reconciler<Cluster> {

    @Inject
    OperatorConfig config;

    @Inject
    ClusterAdmins admins;

    @Inject
    KubernetesClient client;

    @Override
    public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
        ClusterStatus status = cluster.reportedStatus();
        long generation = cluster.generation();
        List<String> problems = problems(cluster.spec());
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems);
            status.condition(Conditions.READY, false, ClusterReason.InvalidSpec, message, generation);
            status.condition(Conditions.DEGRADED, true, ClusterReason.InvalidSpec, message, generation);
            status.condition(Conditions.PROGRESSING, false, ClusterReason.InvalidSpec,
                    "nothing is changed until the spec is fixed", generation);
            status.setObservedGeneration(generation);
            return UpdateControl.patchStatus(cluster);
        }
        // Before the pods that mount them or read them.
        Optional<Instant> caChange = ClusterSecrets.ensure(client, cluster);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

        ClusterSpec spec = cluster.spec();
        Optional<StatefulSet> brokers = statefulSet(context, Role.BROKER.objectName(cluster));
        Optional<StatefulSet> coordinators = statefulSet(context, Role.COORDINATOR.objectName(cluster));
        Optional<Deployment> gateways = context.getSecondaryResourcesAsStream(Deployment.class, true)
                .filter(d -> d.getMetadata().getName().equals(Role.GATEWAY.objectName(cluster))).findFirst();
        status.setBrokers(new ClusterStatus.RoleCounts(spec.getBrokers().getReplicas(),
                brokers.map(ClusterReconciler::ready).orElse(0)));
        status.setCoordinators(new ClusterStatus.RoleCounts(spec.getCoordinators().getReplicas(),
                coordinators.map(ClusterReconciler::ready).orElse(0)));
        status.setGateways(new ClusterStatus.RoleCounts(spec.getGateways().getReplicas(),
                gateways.map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                        : d.getStatus().getReadyReplicas()).orElse(0)));
        status.setKafkaBootstrap(ClusterNames.kafkaBootstrap(cluster));
        status.setHttpAddress("http://" + Role.GATEWAY.serviceHost(cluster) + ":" + spec.getGateways().getHttpPort());

        boolean rolling = brokers.map(b -> rolling(b, spec.getBrokers().getReplicas())).orElse(true);
        boolean ready = !rolling && complete(status.getBrokers()) && complete(status.getCoordinators())
                && complete(status.getGateways());
        String counts = "brokers " + counts(status.getBrokers()) + ", coordinators "
                + counts(status.getCoordinators()) + ", gateways " + counts(status.getGateways());
        status.condition(Conditions.READY, ready, ready ? ClusterReason.AllPodsReady : ClusterReason.PodsNotReady,
                counts + " ready", generation);
        status.condition(Conditions.PROGRESSING, !ready,
                rolling ? ClusterReason.BrokersRolling : ready ? ClusterReason.UpToDate : ClusterReason.PodsStarting,
                rolling ? "brokers change one at a time, each after the store has rebalanced" : counts + " ready",
                generation);
        status.condition(Conditions.DEGRADED, false, ClusterReason.SpecValid, "the spec is valid", generation);
        if (ready && status.getClusterId() == null) {
            status.setClusterId(clusterId(cluster));
        }
        status.setObservedGeneration(generation);
        UpdateControl<Cluster> control = UpdateControl.patchStatus(cluster);
        if (!ready) {
            return control.rescheduleAfter(config.clusterResync());
        }
        // Back a second after the CA changes by itself (never a negative delay), which the periodic reconcile could
        // reach hours late.
        return caChange.map(at -> control.rescheduleAfter(Duration.ofSeconds(
                Math.max(0, Duration.between(Instant.now(), at).toSeconds()) + 1))).orElse(control);
    }

    @Override
    public ErrorStatusUpdateControl<Cluster> updateErrorStatus(Cluster cluster, Context<Cluster> context,
            Exception e) {
        cluster.reportedStatus().condition(Conditions.DEGRADED, true, ClusterReason.ReconcileFailed,
                String.valueOf(e.getMessage()), cluster.generation());
        return ErrorStatusUpdateControl.patchStatus(cluster);
    }

    /** What the CRD's schema cannot say, or what a server without validation let through. */
    static List<String> problems(ClusterSpec spec) {
        List<String> problems = new ArrayList<>();
        int coordinators = spec.getCoordinators().getReplicas();
        if (coordinators != 1 && coordinators != 3) {
            problems.add("coordinators.replicas is " + coordinators + " but must be 1 or 3");
        }
        if (spec.getBrokers().getReplicas() < 1) {
            problems.add("brokers.replicas is " + spec.getBrokers().getReplicas() + " but must be at least 1");
        }
        if (spec.getGateways().getReplicas() < 1) {
            problems.add("gateways.replicas is " + spec.getGateways().getReplicas() + " but must be at least 1");
        }
        checkPort(problems, "gateways.kafkaPort", spec.getGateways().getKafkaPort());
        checkPort(problems, "gateways.httpPort", spec.getGateways().getHttpPort());
        if (spec.getGateways().getKafkaPort() == spec.getGateways().getHttpPort()) {
            problems.add("gateways.kafkaPort and gateways.httpPort must differ");
        }
        ClusterSecurity.problems(spec, problems);
        return problems;
    }

    private static void checkPort(List<String> problems, String field, int port) {
        if (port < 1 || port > 65_535) {
            problems.add(field + " is " + port + " but must be between 1 and 65535");
        }
    }

    private String clusterId(Cluster cluster) {
        try {
            return admins.admin(cluster).describeCluster().clusterId()
                    .get(admins.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Reported once the gateway answers; the next reconcile asks again.
            return null;
        }
    }

    private static Optional<StatefulSet> statefulSet(Context<Cluster> context, String name) {
        return context.getSecondaryResourcesAsStream(StatefulSet.class, true)
                .filter(s -> s.getMetadata().getName().equals(name)).findFirst();
    }

    private static int ready(StatefulSet set) {
        return set.getStatus() == null || set.getStatus().getReadyReplicas() == null ? 0
                : set.getStatus().getReadyReplicas();
    }

    /** Whether some brokers still run the previous template, or still wait to be removed. */
    private static boolean rolling(StatefulSet set, int desiredReplicas) {
        var strategy = set.getSpec().getUpdateStrategy();
        boolean partitioned = strategy != null && strategy.getRollingUpdate() != null
                && strategy.getRollingUpdate().getPartition() != null && strategy.getRollingUpdate().getPartition() > 0;
        return partitioned || set.getSpec().getReplicas() == null || set.getSpec().getReplicas() > desiredReplicas;
    }

    private static boolean complete(ClusterStatus.RoleCounts counts) {
        return counts.getReady() >= counts.getReplicas();
    }

    private static String counts(ClusterStatus.RoleCounts counts) {
        return counts.getReady() + "/" + counts.getReplicas();
    }
}
