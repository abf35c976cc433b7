package io.sluice.operator.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.sluice.operator.ClusterAdmins;
import io.sluice.operator.OperatorConfig;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterSecurity;
import io.sluice.operator.cluster.SecretData;
import io.sluice.operator.resource.Conditions;
import io.sluice.operator.topic.ClusterLink;
import io.sluice.operator.topic.Topic;

/**
 * Keeps each {@link User}'s credentials (its Secret, and for SCRAM its credential in the cluster), ACLs and quotas as
 * its resource says, acting on the cluster through Kafka's Admin API as the cluster's admin; removes them with the
 * resource. A spec it cannot apply changes nothing and says why in the Ready condition.
 */
@ControllerConfiguration(name = "user")
public class UserReconciler implements Reconciler<User>, Cleaner<User> {

    private static final Logger LOG = Logger.getLogger(UserReconciler.class);
    /** Kafka's default iteration count for SCRAM credentials. */
    static final int SCRAM_ITERATIONS = 4096;

    /** What one reconcile found: the Ready condition to show. */
    private record Outcome(boolean ready, UserReason reason, String message) {
    }

    @Inject
    KubernetesClient client;

    @Inject
    ClusterAdmins admins;

    @Inject
    OperatorConfig config;

    @Override
    public List<EventSource<?, User>> prepareEventSources(EventSourceContext<User> context) {
        return List.of(ClusterLink.eventSource(context));
    }

    @Override
    public UpdateControl<User> reconcile(User user, Context<User> context) throws InterruptedException {
        Outcome outcome = outcome(user, context);
        show(user, outcome);
        return UpdateControl.patchStatus(user)
                .rescheduleAfter(outcome.ready() ? config.topicResync() : config.clusterResync());
    }

    @Override
    public ErrorStatusUpdateControl<User> updateErrorStatus(User user, Context<User> context, Exception e) {
        show(user, new Outcome(false, UserReason.ReconcileFailed, String.valueOf(e.getMessage())));
        return ErrorStatusUpdateControl.patchStatus(user);
    }

    @Override
    public DeleteControl cleanup(User user, Context<User> context) throws InterruptedException {
        Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
        if (cluster.isPresent() && !cluster.get().isMarkedForDeletion()
                && ClusterSecurity.of(cluster.get()).isPresent() && problems(user).isEmpty()) {
            try {
                Admin admin = admins.admin(cluster.get());
                if (!user.certificateAuthentication()) {
                    deleteScram(admin, user.userName());
                }
                new UserAcls(admin, timeoutMs()).deleteAll(user.principal());
                new UserQuotas(admin, timeoutMs()).deleteAll(user.principalName());
            } catch (TimeoutException | ExecutionException | KafkaException | IllegalStateException e) {
                Instant deadline = Instant.parse(user.getMetadata().getDeletionTimestamp())
                        .plus(config.finalizerTimeout());
                if (Instant.now().isBefore(deadline)) {
                    LOG.infof("User %s/%s: cannot remove its credentials, ACLs and quotas yet (%s), again later"
                            + " (until %s)",
                            user.getMetadata().getNamespace(), user.userName(), message(e), deadline);
                    return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.clusterResync());
                }
                LOG.warnf("User %s/%s: finalizer released after %s; its credentials, ACLs and quotas may remain (%s)",
                        user.getMetadata().getNamespace(), user.userName(), config.finalizerTimeout(), message(e));
            }
        }
        new UserCredentials(client).delete(user);
        return DeleteControl.defaultDelete();
    }

    private Outcome outcome(User user, Context<User> context) throws InterruptedException {
        List<String> problems = problems(user);
        if (!problems.isEmpty()) {
            return new Outcome(false, UserReason.InvalidSpec, String.join("; ", problems));
        }
        String clusterName = user.clusterName();
        if (clusterName == null || clusterName.isBlank()) {
            return new Outcome(false, UserReason.ClusterLabelMissing,
                    "label " + Topic.CLUSTER_LABEL + " must name the user's Cluster");
        }
        Optional<Cluster> found = context.getSecondaryResource(Cluster.class);
        if (found.isEmpty()) {
            return new Outcome(false, UserReason.ClusterNotFound,
                    "no Cluster " + user.clusterNamespace() + "/" + clusterName + ": create it or fix the label");
        }
        Cluster cluster = found.get();
        if (ClusterSecurity.of(cluster).isEmpty()) {
            return new Outcome(false, UserReason.SecurityNotEnabled,
                    "Cluster " + clusterName + " has no spec.security: its clients do not log in");
        }
        if (user.certificateAuthentication() != ClusterSecurity.certificateAuthentication(cluster)) {
            return new Outcome(false, UserReason.AuthenticationMismatch, "Cluster " + clusterName
                    + " authenticates clients by " + (ClusterSecurity.certificateAuthentication(cluster)
                            ? "certificate (tls)"
                            : "password (scram-sha-512)")
                    + ": spec.authentication.type must say so");
        }
        Secret secret;
        Admin admin;
        try {
            secret = new UserCredentials(client).ensure(user, cluster);
            admin = admins.admin(cluster);
        } catch (IllegalStateException e) {
            return new Outcome(false, UserReason.ClusterNotReady, e.getMessage());
        } catch (KafkaException e) {
            return new Outcome(false, UserReason.ClusterUnreachable, "cannot reach cluster " + clusterName + " at "
                    + admins.bootstrap(cluster) + ": " + e.getMessage());
        }
        try {
            if (user.certificateAuthentication()) {
                // A user that logged in by password before has no password any more.
                deleteScram(admin, user.userName());
            } else {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.userName(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                        SecretData.get(secret, ClusterSecurity.PASSWORD)))).all()
                        .get(timeoutMs(), TimeUnit.MILLISECONDS);
            }
            Set<AclBinding> acls = UserAcls.bindings(user.principal(), user.spec().acls());
            new UserAcls(admin, timeoutMs()).sync(user.principal(), acls);
            Map<String, Double> quotas = UserQuotas.values(user.spec().getQuotas());
            new UserQuotas(admin, timeoutMs()).sync(user.principalName(), quotas);
            return new Outcome(true, UserReason.Synced, (user.certificateAuthentication() ? "certificate"
                    : "SCRAM-SHA-512 credential") + " in Secret " + user.userName() + ", " + acls.size() + " ACLs, "
                    + quotas.size() + " quotas");
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            return new Outcome(false, UserReason.ClusterUnreachable, "no answer from cluster " + clusterName
                    + " at " + admins.bootstrap(cluster) + " within " + admins.timeout());
        } catch (ExecutionException | KafkaException e) {
            return new Outcome(false, UserReason.ClusterRefused, "cluster " + clusterName + " refused: "
                    + message(e));
        }
    }

    /** What is wrong with the spec; nothing of it is applied while anything is. */
    static List<String> problems(User user) {
        List<String> problems = new ArrayList<>();
        String type = user.spec().authenticationType();
        if (!UserSpec.SCRAM_SHA_512.equals(type) && !UserSpec.TLS.equals(type)) {
            problems.add("authentication.type is " + (type == null ? "missing" : "\"" + type + "\"")
                    + " but must be " + UserSpec.SCRAM_SHA_512 + " or " + UserSpec.TLS);
        }
        problems.addAll(UserAcls.problems(user.spec().acls()));
        problems.addAll(UserQuotas.problems(user.spec().getQuotas()));
        return problems;
    }

    private void deleteScram(Admin admin, String name)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(name,
                    ScramMechanism.SCRAM_SHA_512))).all().get(timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) {
                throw e;
            }
        }
    }

    private void show(User user, Outcome outcome) {
        UserStatus status = user.reportedStatus();
        status.condition(Conditions.READY, outcome.ready(), outcome.reason(), outcome.message(), user.generation());
        status.setObservedGeneration(user.generation());
        status.setUsername(user.userName());
        status.setPrincipal(user.principal());
        status.setSecret(outcome.ready() ? user.userName() : status.getSecret());
    }

    private long timeoutMs() {
        return admins.timeout().toMillis();
    }

    private static String message(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
