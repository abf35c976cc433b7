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
final class ListOffsetsHandler extends PartitionRequestHandler<ListOffsetsRequestData> {

    /** The first version whose answer carries the leader epoch (writing it to older ones is refused). */
    private static final short LEADER_EPOCH_VERSION = 4;

    ListOffsetsHandler(LeaderLookup lookup) {
        super(lookup);
    }

    @Override
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
                lookups.add(answer(topic.name(), null, partition.partitionIndex(), partition.currentLeaderEpoch(),
                        log -> log.offsetForTimestamp(partition.timestamp(), isolation).thenAccept(found -> {
                            partitionResponse.setErrorCode(Errors.NONE.code())
                                    .setOffset(found.offset())
                                    .setTimestamp(found.timestamp());
                            if (version >= LEADER_EPOCH_VERSION) {
                                partitionResponse.setLeaderEpoch(log.leaderEpoch());
                            }
                        }),
                        error -> partitionResponse.setErrorCode(error.code()).setOffset(-1).setTimestamp(-1)));
            }
        }
        return whenAnswered(lookups, response);
    }
}
