package io.sluice.broker.kafka;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.broker.cluster.PartitionLeaders;
import io.sluice.broker.log.PartitionLog;
import io.sluice.protocol.cluster.ClusterView.TopicView;

/** Finds the log a request names, by topic name or id, or the Kafka error that explains why there is none. */
final class LeaderLookup {

    /** A log, or the error to answer with. */
    record Found(PartitionLog log, Errors error) {
    }

    private final PartitionLeaders leaders;

    LeaderLookup(PartitionLeaders leaders) {
        this.leaders = leaders;
    }

    /** Resolves a topic named by id (when not zero) or by name. */
    TopicView topic(String name, Uuid id) {
        if (id != null && !Uuid.ZERO_UUID.equals(id)) {
            return leaders.view().topic(id);
        }
        return leaders.view().topic(name);
    }

    CompletableFuture<Found> find(TopicView topic, boolean byId, int partition, int currentLeaderEpoch) {
        if (topic == null) {
            return done(null, byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (topic.partition(partition) == null) {
            return done(null, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        CompletableFuture<PartitionLog> log = leaders.log(topic.id(), partition);
        if (log == null) {
            return done(null, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        return log.handle((l, e) -> {
            if (e != null || l.isClosed()) {
                return new Found(null, Errors.NOT_LEADER_OR_FOLLOWER);
            }
            if (currentLeaderEpoch >= 0 && currentLeaderEpoch < l.leaderEpoch()) {
                return new Found(null, Errors.FENCED_LEADER_EPOCH);
            }
            if (currentLeaderEpoch > l.leaderEpoch()) {
                return new Found(null, Errors.UNKNOWN_LEADER_EPOCH);
            }
            return new Found(l, Errors.NONE);
        });
    }

    private static CompletableFuture<Found> done(PartitionLog log, Errors error) {
        return CompletableFuture.completedFuture(new Found(log, error));
    }
}
