package io.sluice.operator.topic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

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
import io.sluice.operator.resource.Conditions;

/**
 * Keeps each {@link Topic}'s Kafka topic as its resource says, in whichever watched namespace the resource lives, and
 * deletes the topic with the resource. Every problem ends in a {@code Ready=False} condition that says what to do,
 * and is looked at again later, or as soon as its Cluster appears or becomes ready ({@link ClusterLink}): never a
 * crash loop.
 */
@ControllerConfiguration(name = "topic")
public class TopicReconciler implements Reconciler<Topic>, Cleaner<Topic> {

    private static final Logger LOG = Logger.getLogger(TopicReconciler.class);

    @Inject
    KubernetesClient client;

    @Inject
    ClusterAdmins admins;

    @Inject
    OperatorConfig config;

    @Override
    public List<EventSource<?, Topic>> prepareEventSources(EventSourceContext<Topic> context) {
        return List.of(ClusterLink.eventSource(context));
    }

    @Override
    public UpdateControl<Topic> reconcile(Topic topic, Context<Topic> context) throws InterruptedException {
        TopicOutcome outcome = outcome(topic, context);
        show(topic, outcome);
        return UpdateControl.patchStatus(topic).rescheduleAfter(resyncAfter(outcome));
    }

    @Override
    public ErrorStatusUpdateControl<Topic> updateErrorStatus(Topic topic, Context<Topic> context, Exception e) {
        show(topic, TopicOutcome.notReady(TopicReason.ReconcileFailed, String.valueOf(e.getMessage())));
        return ErrorStatusUpdateControl.patchStatus(topic);
    }

    @Override
    public DeleteControl cleanup(Topic topic, Context<Topic> context) throws InterruptedException {
        String name = topic.topicName();
        if (!topic.managed()) {
            LOG.infof("Topic %s/%s is unmanaged: topic %s is left as it is", namespace(topic), resourceName(topic), name);
            return DeleteControl.defaultDelete();
        }
        if (TopicOwnership.ownerOtherThan(topic, context.getPrimaryCache().list()).isPresent()) {
            return DeleteControl.defaultDelete();
        }
        Optional<Topic> successor = TopicOwnership.successor(topic, context.getPrimaryCache().list());
        if (successor.isPresent()) {
            // The topic and its records stay: the resource that waited for it manages it from its next reconcile.
            LOG.infof("Topic %s/%s deleted: topic %s is kept, Topic %s/%s manages it now", namespace(topic),
                    resourceName(topic), name, namespace(successor.get()), resourceName(successor.get()));
            return DeleteControl.defaultDelete();
        }
        Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
        if (cluster.isEmpty() || cluster.get().isMarkedForDeletion()) {
            LOG.infof("Topic %s/%s: its cluster is gone, nothing to delete", namespace(topic), resourceName(topic));
            return DeleteControl.defaultDelete();
        }
        try {
            sync(cluster.get()).delete(name);
            return DeleteControl.defaultDelete();
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            Instant deadline = Instant.parse(topic.getMetadata().getDeletionTimestamp())
                    .plus(config.finalizerTimeout());
            if (Instant.now().isAfter(deadline)) {
                LOG.warnf("Topic %s/%s: cluster unreachable for %s, finalizer released; topic %s may remain",
                        namespace(topic), resourceName(topic), config.finalizerTimeout(), name);
                return DeleteControl.defaultDelete();
            }
            LOG.infof("Topic %s/%s: cluster unreachable, deleting topic %s again later (until %s)",
                    namespace(topic), resourceName(topic), name, deadline);
            show(topic, TopicOutcome.notReady(TopicReason.DeletePending, "cannot reach the cluster to delete topic "
                    + name + "; the finalizer is released anyway at " + deadline));
            // A cleanup cannot return a status to write: it is written here, onto the latest version.
            Topic latest = client.resource(topic).get();
            if (latest != null) {
                latest.setStatus(topic.getStatus());
                client.resource(latest).updateStatus();
            }
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.clusterResync());
        }
    }

    private TopicOutcome outcome(Topic topic, Context<Topic> context) throws InterruptedException {
        if (!topic.managed()) {
            return TopicOutcome.notReady(TopicReason.Unmanaged, "annotation " + Topic.MANAGED_ANNOTATION
                    + " is \"false\": the operator leaves topic " + topic.topicName() + " as it is");
        }
        String clusterName = topic.clusterName();
        if (clusterName == null || clusterName.isBlank()) {
            return TopicOutcome.notReady(TopicReason.ClusterLabelMissing,
                    "label " + Topic.CLUSTER_LABEL + " must name the Cluster this topic belongs to");
        }
        Optional<Topic> owner = TopicOwnership.ownerOtherThan(topic, context.getPrimaryCache().list());
        if (owner.isPresent()) {
            return TopicOutcome.notReady(TopicReason.ResourceConflict, "topic " + topic.topicName() + " of cluster "
                    + clusterName + " is already managed by Topic " + owner.get().getMetadata().getNamespace() + "/"
                    + owner.get().getMetadata().getName());
        }
        Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
        if (cluster.isEmpty()) {
            return TopicOutcome.notReady(TopicReason.ClusterNotFound,
                    "no Cluster " + topic.clusterNamespace() + "/" + clusterName + ": create it or fix the label");
        }
        try {
            return sync(cluster.get()).sync(topic.topicName(), topic.spec());
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            return TopicOutcome.notReady(TopicReason.ClusterUnreachable, "no answer from cluster " + clusterName
                    + " at " + admins.bootstrap(cluster.get()) + " within " + admins.timeout());
        } catch (org.apache.kafka.common.KafkaException e) {
            return TopicOutcome.notReady(TopicReason.ClusterRefused,
                    "cluster " + clusterName + " refused: " + e.getMessage());
        }
    }

    private TopicSync sync(Cluster cluster) {
        return new TopicSync(admins.admin(cluster), admins.timeout().toMillis());
    }

    private void show(Topic topic, TopicOutcome outcome) {
        TopicStatus status = topic.reportedStatus();
        status.condition(Conditions.READY, outcome.ready(), outcome.reason(), outcome.message(), topic.generation());
        status.setObservedGeneration(topic.generation());
        status.setTopicName(topic.topicName());
        if (outcome.topicId() != null) {
            status.setTopicId(outcome.topicId());
            status.setPartitions(outcome.partitions());
            status.setReplicas(outcome.replicas());
        }
    }

    /** Ready topics are compared again at the resync interval; the others sooner, as their cause may pass. */
    private Duration resyncAfter(TopicOutcome outcome) {
        return outcome.ready() ? config.topicResync() : config.clusterResync();
    }

    private static String namespace(Topic topic) {
        return topic.getMetadata().getNamespace();
    }

    private static String resourceName(Topic topic) {
        return topic.getMetadata().getName();
    }
}
