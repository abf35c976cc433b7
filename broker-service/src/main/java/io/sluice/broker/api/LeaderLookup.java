package io.sluice.broker.api;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.broker.leadership.PartitionLeaders;
import io.sluice.broker.log.PartitionLog;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * Finds the log a request names, by topic name or id, or the Kafka error that explains why there is none. A request
 * for a partition this broker does not (yet) lead first waits for fresh metadata once: right after a topic is created
 * or a leader moves, the gateway may know before this broker does.
 */
final class LeaderLookup {

    /** A log, or the error to answer with. */
    record Found(PartitionLog log, Errors error) {
    }

    private final PartitionLeaders leaders;

    LeaderLookup(PartitionLeaders leaders) {
        this.leaders = leaders;
    }

    CompletableFuture<Found> find(String topic, Uuid topicId, int partition, int currentLeaderEpoch) {
        CompletableFuture<PartitionLog> log = logOf(topic, topicId, partition);
        if (log != null) {
            return settle(log, currentLeaderEpoch);
        }
        // A refresh that fails (the coordinator away) leaves the view as it is: the answer is then an error code.
        return leaders.refresh().handle((v, e) -> null).thenCompose(v -> {
            CompletableFuture<PartitionLog> again = logOf(topic, topicId, partition);
            return again != null ? settle(again, currentLeaderEpoch)
                    : CompletableFuture.completedFuture(
                            new Found(null, missing(topic, topicId, partition, currentLeaderEpoch)));
        });
    }

    /** The log of a partition this broker leads (possibly still recovering), or null. */
    private CompletableFuture<PartitionLog> logOf(String topic, Uuid topicId, int partition) {
        TopicView view = resolve(topic, topicId);
        return view == null || view.partition(partition) == null ? null : leaders.log(view.id(), partition);
    }

    private static CompletableFuture<Found> settle(CompletableFuture<PartitionLog> log, int currentLeaderEpoch) {
        return log.handle((l, error) -> error != null
                ? new Found(null, Errors.NOT_LEADER_OR_FOLLOWER)
                : check(l, currentLeaderEpoch));
    }

    private static Found check(PartitionLog log, int currentLeaderEpoch) {
        if (log == null || log.isClosed()) {
            return new Found(null, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch < log.leaderEpoch()) {
            return new Found(null, Errors.FENCED_LEADER_EPOCH);
        }
        if (currentLeaderEpoch > log.leaderEpoch()) {
            return new Found(null, Errors.UNKNOWN_LEADER_EPOCH);
        }
        return new Found(log, Errors.NONE);
    }

    private Errors missing(String topic, Uuid topicId, int partition, int currentLeaderEpoch) {
        TopicView view = resolve(topic, topicId);
        if (view == null) {
            return byId(topicId) ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (view.partition(partition) == null) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return currentLeaderEpoch >= 0 && currentLeaderEpoch < view.partition(partition).leaderEpoch()
                ? Errors.FENCED_LEADER_EPOCH
                : Errors.NOT_LEADER_OR_FOLLOWER;
    }

    private TopicView resolve(String topic, Uuid topicId) {
        return byId(topicId) ? leaders.view().topic(topicId) : leaders.view().topic(topic);
    }

    private static boolean byId(Uuid topicId) {
        return topicId != null && !Uuid.ZERO_UUID.equals(topicId);
    }
}
