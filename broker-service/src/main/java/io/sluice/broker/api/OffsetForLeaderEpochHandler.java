package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.broker.log.EpochEnd;

/** OffsetForLeaderEpoch: where a leader epoch ended, so a consumer can detect log truncation. */
final class OffsetForLeaderEpochHandler {

    private final LeaderLookup lookup;

    OffsetForLeaderEpochHandler(LeaderLookup lookup) {
        this.lookup = lookup;
    }

    CompletableFuture<ApiMessage> handle(OffsetForLeaderEpochRequestData request) {
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
                lookups.add(lookup.find(topic.topic(), null, partition.partition(), partition.currentLeaderEpoch())
                        .thenAccept(found -> {
                            if (found.log() == null) {
                                result.setErrorCode(found.error().code()).setLeaderEpoch(-1).setEndOffset(-1);
                                return;
                            }
                            EpochEnd end = found.log().endOffsetForEpoch(partition.leaderEpoch());
                            result.setErrorCode(Errors.NONE.code())
                                    .setEndOffset(end.endOffset())
                                    .setLeaderEpoch(end.leaderEpoch());
                        }));
            }
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
