package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * WriteTxnMarkers, sent by the transaction coordinator when a transaction ends: appends a COMMIT or ABORT marker to
 * each listed partition this broker leads and answers once every marker is durable, with an error code per partition.
 * A marker without a producer id or with a negative producer epoch cannot be written: its partitions get
 * INVALID_REQUEST.
 */
final class WriteTxnMarkersHandler extends PartitionRequestHandler<WriteTxnMarkersRequestData> {

    WriteTxnMarkersHandler(LeaderLookup lookup) {
        super(lookup);
    }

    @Override
    CompletableFuture<ApiMessage> handle(WriteTxnMarkersRequestData request, short version) {
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (WritableTxnMarker marker : request.markers()) {
            WritableTxnMarkerResult markerResult = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            response.markers().add(markerResult);
            boolean writable = marker.producerId() >= 0 && marker.producerEpoch() >= 0;
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                markerResult.topics().add(topicResult);
                for (int partition : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult partitionResult = new WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(partition);
                    topicResult.partitions().add(partitionResult);
                    if (!writable) {
                        partitionResult.setErrorCode(Errors.INVALID_REQUEST.code());
                        continue;
                    }
                    appends.add(answer(topic.name(), null, partition, -1,
                            log -> log.appendMarker(marker.producerId(), marker.producerEpoch(),
                                    marker.coordinatorEpoch(), marker.transactionResult())
                                    .thenAccept(result -> partitionResult.setErrorCode(result.error().code())),
                            error -> partitionResult.setErrorCode(error.code())));
                }
            }
        }
        return whenAnswered(appends, response);
    }
}
