package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.broker.log.AppendResult;
import io.sluice.protocol.record.BatchRecords;

/**
 * Produce: appends each partition's batch to the partition's log and answers once every append is durable. A batch
 * the log refuses fails its own partition only, with the records at fault where Kafka names them.
 */
final class ProduceHandler extends PartitionRequestHandler<ProduceRequestData> {

    ProduceHandler(LeaderLookup lookup) {
        super(lookup);
    }

    @Override
    CompletableFuture<ApiMessage> handle(ProduceRequestData request, short version) {
        ProduceResponseData response = new ProduceResponseData();
        // As Kafka: acks other than -1, 0 and 1 fail every partition, and nothing is appended.
        boolean validAcks = request.acks() >= -1 && request.acks() <= 1;
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topicData.name())
                    .setTopicId(topicData.topicId());
            response.responses().add(topicResponse);
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                ProduceResponseData.PartitionProduceResponse partitionResponse = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(partitionData.index());
                topicResponse.partitionResponses().add(partitionResponse);
                if (!validAcks) {
                    fill(partitionResponse, AppendResult.failed(Errors.INVALID_REQUIRED_ACKS, "acks " + request.acks()));
                    continue;
                }
                appends.add(answer(topicData.name(), topicData.topicId(), partitionData.index(), -1,
                        log -> log.append(BatchRecords.bytes(partitionData.records()))
                                .thenAccept(result -> fill(partitionResponse, result)),
                        error -> fill(partitionResponse, AppendResult.failed(error, null))));
            }
        }
        if (request.acks() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return whenAnswered(appends, response);
    }

    private static void fill(ProduceResponseData.PartitionProduceResponse response, AppendResult result) {
        response.setErrorCode(result.error().code())
                .setErrorMessage(result.error() == Errors.NONE ? null : result.message())
                .setBaseOffset(result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTime())
                .setLogStartOffset(result.logStartOffset())
                .setRecordErrors(result.recordErrors().stream()
                        .map(e -> new ProduceResponseData.BatchIndexAndErrorMessage()
                                .setBatchIndex(e.batchIndex())
                                .setBatchIndexErrorMessage(e.message()))
                        .toList());
    }
}
