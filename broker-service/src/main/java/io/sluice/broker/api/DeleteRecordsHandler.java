package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords: each partition's log starts at the offset asked for ({@code -1}: its high watermark), answered with
 * the new log start (the low watermark) once the store has recorded it, or OFFSET_OUT_OF_RANGE beyond the high
 * watermark, as Kafka.
 */
final class DeleteRecordsHandler extends PartitionRequestHandler<DeleteRecordsRequestData> {

    DeleteRecordsHandler(LeaderLookup lookup) {
        super(lookup);
    }

    @Override
    CompletableFuture<ApiMessage> handle(DeleteRecordsRequestData request, short version) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult = new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(topic.name());
            response.topics().add(topicResult);
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult result = new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                        .setPartitionIndex(partition.partitionIndex());
                topicResult.partitions().add(result);
                answers.add(answer(topic.name(), null, partition.partitionIndex(), -1,
                        log -> log.deleteRecordsBefore(partition.offset()).handle((start, error) -> {
                            if (error == null) {
                                result.setErrorCode(Errors.NONE.code()).setLowWatermark(start);
                            } else {
                                result.setErrorCode(refusal(error).code()).setLowWatermark(-1);
                            }
                            return null;
                        }),
                        error -> result.setErrorCode(error.code()).setLowWatermark(-1)));
            }
        }
        return whenAnswered(answers, response);
    }

    private static Errors refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ApiException ? Errors.forException(cause) : Errors.UNKNOWN_SERVER_ERROR;
    }
}
