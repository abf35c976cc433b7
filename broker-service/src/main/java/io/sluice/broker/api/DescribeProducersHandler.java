package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.broker.log.ProducerState;

/**
 * DescribeProducers (Admin, {@code kafka-transactions.sh describe-producers} and {@code find-hanging}): the idempotent
 * and transactional producers each partition's leader knows, with the start of any transaction they have open.
 */
final class DescribeProducersHandler extends PartitionRequestHandler<DescribeProducersRequestData> {

    DescribeProducersHandler(LeaderLookup lookup) {
        super(lookup);
    }

    @Override
    CompletableFuture<ApiMessage> handle(DescribeProducersRequestData request, short version) {
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            DescribeProducersResponseData.TopicResponse topicResponse = new DescribeProducersResponseData.TopicResponse()
                    .setName(topic.name());
            response.topics().add(topicResponse);
            for (int partition : topic.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse result = new DescribeProducersResponseData.PartitionResponse()
                        .setPartitionIndex(partition);
                topicResponse.partitions().add(result);
                answers.add(answer(topic.name(), null, partition, -1, log -> {
                    log.activeProducers().forEach(p -> result.activeProducers().add(described(p)));
                    return CompletableFuture.completedFuture(null);
                }, error -> result.setErrorCode(error.code())));
            }
        }
        return whenAnswered(answers, response);
    }

    private static DescribeProducersResponseData.ProducerState described(ProducerState producer) {
        return new DescribeProducersResponseData.ProducerState()
                .setProducerId(producer.producerId())
                .setProducerEpoch(producer.epoch())
                .setLastSequence(producer.lastSequence())
                .setLastTimestamp(producer.lastTimestamp())
                .setCoordinatorEpoch(producer.coordinatorEpoch())
                .setCurrentTxnStartOffset(producer.currentTxnStartOffset());
    }
}
