package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** OffsetForLeaderEpoch: where a leader epoch ended, so a consumer can detect log truncation. */
final class OffsetForLeaderEpochHandler extends PartitionRequestHandler<OffsetForLeaderEpochRequestData> {

    OffsetForLeaderEpochHandler(LeaderLookup lookup) {
        super(lookup);
    }

    @Override
    CompletableFuture<ApiMessage> handle(OffsetForLeaderEpochRequestData request, short version) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topicResult = new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult()
                    .setTopic(topic.topic());
            response.topics().add(topicResult);
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(partition.partition());
                topicResult.partitions().add(result);
                lookups.add(answer(topic.topic(), null, partition.partition(), partition.currentLeaderEpoch(),
                        log -> CompletableFuture.completedFuture(log.endOffsetForEpoch(partition.leaderEpoch()))
                                .thenAccept(end -> result.setErrorCode(Errors.NONE.code())
                                        .setEndOffset(end.endOffset())
                                        .setLeaderEpoch(end.leaderEpoch())),
                        error -> result.setErrorCode(error.code()).setLeaderEpoch(-1).setEndOffset(-1)));
            }
        }
        return whenAnswered(lookups, response);
    }
}
