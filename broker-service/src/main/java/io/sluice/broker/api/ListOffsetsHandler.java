package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: earliest, latest, max timestamp, the tiered-storage specials, or the first offset at a timestamp, per
 * partition; latest is the last stable offset for read_committed. As Kafka, a partition named twice gets
 * INVALID_REQUEST each time; an isolation level that is neither 0 nor 1 gets INVALID_REQUEST for every partition.
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
        byte isolationId = request.isolationLevel();
        boolean validIsolation = isolationId == 0 || isolationId == 1;
        IsolationLevel isolation = validIsolation ? IsolationLevel.forId(isolationId) : null;
        Set<TopicPartition> duplicates = duplicates(request);
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(topic.name());
            response.topics().add(topicResponse);
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse partitionResponse = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (!validIsolation
                        || duplicates.contains(new TopicPartition(topic.name(), partition.partitionIndex()))) {
                    partitionResponse.setErrorCode(Errors.INVALID_REQUEST.code()).setOffset(-1).setTimestamp(-1);
                    continue;
                }
                lookups.add(answer(topic.name(), null, partition.partitionIndex(), partition.currentLeaderEpoch(),
                        log -> log.offsetForTimestamp(partition.timestamp(), isolation).thenAccept(found -> {
                            partitionResponse.setErrorCode(Errors.NONE.code())
                                    .setOffset(found.offset())
                                    .setTimestamp(found.timestamp());
                            if (version >= LEADER_EPOCH_VERSION) {
                                partitionResponse.setLeaderEpoch(found.leaderEpoch());
                            }
                        }),
                        error -> partitionResponse.setErrorCode(error.code()).setOffset(-1).setTimestamp(-1)));
            }
        }
        return whenAnswered(lookups, response);
    }

    private static Set<TopicPartition> duplicates(ListOffsetsRequestData request) {
        Set<TopicPartition> seen = new HashSet<>();
        Set<TopicPartition> duplicates = new HashSet<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (!seen.add(tp)) {
                    duplicates.add(tp);
                }
            }
        }
        return duplicates;
    }
}
