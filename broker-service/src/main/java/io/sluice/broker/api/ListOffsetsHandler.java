package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: earliest, latest, max timestamp, or the first offset at a timestamp, per partition; latest is the last
 * stable offset for read_committed.
 */
final class ListOffsetsHandler {

    /** The first version whose answer carries the leader epoch (writing it to older ones is refused). */
    private static final short LEADER_EPOCH_VERSION = 4;

    private final LeaderLookup lookup;

    ListOffsetsHandler(LeaderLookup lookup) {
        this.lookup = lookup;
    }

    CompletableFuture<ApiMessage> handle(ListOffsetsRequestData request, short version) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        IsolationLevel isolation = IsolationLevel.forId(request.isolationLevel());
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(topic.name());
            response.topics().add(topicResponse);
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse partitionResponse = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                lookups.add(lookup.find(topic.name(), null, partition.partitionIndex(), partition.currentLeaderEpoch())
                        .thenCompose(found -> {
                            if (found.log() == null) {
                                partitionResponse.setErrorCode(found.error().code()).setOffset(-1).setTimestamp(-1);
                                return CompletableFuture.completedFuture(null);
                            }
                            return found.log().offsetForTimestamp(partition.timestamp(), isolation)
                                    .thenAccept(result -> {
                                        partitionResponse.setErrorCode(Errors.NONE.code())
                                                .setOffset(result.offset())
                                                .setTimestamp(result.timestamp());
                                        if (version >= LEADER_EPOCH_VERSION) {
                                            partitionResponse.setLeaderEpoch(found.log().leaderEpoch());
                                        }
                                    });
                        }));
            }
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
