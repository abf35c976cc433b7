package io.sluice.broker.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.broker.log.PartitionLog;

/**
 * A handler of a broker API whose request names partitions: each partition is answered from the log this broker leads
 * for it, or with the error that says why it has none, and the response goes once every partition is answered.
 *
 * @param <Q> the API's request
 */
abstract class PartitionRequestHandler<Q extends ApiMessage> {

    private static final Logger LOG = Logger.getLogger(PartitionRequestHandler.class);

    final LeaderLookup lookup;

    PartitionRequestHandler(LeaderLookup lookup) {
        this.lookup = lookup;
    }

    /** The response to {@code request}, at the version the client chose. */
    abstract CompletableFuture<ApiMessage> handle(Q request, short version);

    /**
     * Answers one partition: {@code fromLog} fills its part of the response from the partition's log, or
     * {@code onError} with the error when this broker does not lead it (at the epoch the client knows). A failure
     * while answering fails this partition only (UNKNOWN_SERVER_ERROR, as Kafka), never the request or the connection.
     */
    CompletableFuture<Void> answer(String topic, Uuid topicId, int partition, int currentLeaderEpoch,
            Function<PartitionLog, CompletableFuture<Void>> fromLog, Consumer<Errors> onError) {
        return lookup.find(topic, topicId, partition, currentLeaderEpoch).thenCompose(found -> {
            if (found.log() == null) {
                onError.accept(found.error());
                return CompletableFuture.completedFuture(null);
            }
            return fromLog.apply(found.log());
        }).exceptionally(e -> {
            LOG.errorf(e, "failed to answer for %s-%d", topic, partition);
            onError.accept(Errors.UNKNOWN_SERVER_ERROR);
            return null;
        });
    }

    /** The response, once every partition's answer is in it. */
    static CompletableFuture<ApiMessage> whenAnswered(List<CompletableFuture<Void>> answers, ApiMessage response) {
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
