package io.sluice.broker.api;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.broker.leadership.PartitionLeaders;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.net.RequestHandler;
import io.vertx.core.Vertx;

/**
 * The broker's Kafka listener: the data-path and partition admin APIs the gateway forwards, at the version the client
 * chose, and the transaction markers the coordinator writes.
 */
public final class BrokerRequestHandler implements RequestHandler {

    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final OffsetForLeaderEpochHandler offsetForLeaderEpoch;
    private final WriteTxnMarkersHandler writeTxnMarkers;
    private final DeleteRecordsHandler deleteRecords;
    private final DescribeProducersHandler describeProducers;
    private final DescribeLogDirsHandler describeLogDirs;

    /**
     * {@code logDir}: where this broker keeps its store, as DescribeLogDirs names it; {@code fetchMemory}: what its
     * fetches may read at once.
     */
    public BrokerRequestHandler(PartitionLeaders leaders, Vertx vertx, Path logDir, FetchMemory fetchMemory) {
        LeaderLookup lookup = new LeaderLookup(leaders);
        this.produce = new ProduceHandler(lookup);
        this.fetch = new FetchHandler(lookup, vertx, fetchMemory);
        this.listOffsets = new ListOffsetsHandler(lookup);
        this.offsetForLeaderEpoch = new OffsetForLeaderEpochHandler(lookup);
        this.writeTxnMarkers = new WriteTxnMarkersHandler(lookup);
        this.deleteRecords = new DeleteRecordsHandler(lookup);
        this.describeProducers = new DescribeProducersHandler(lookup);
        this.describeLogDirs = new DescribeLogDirsHandler(leaders, logDir);
    }

    @Override
    public CompletionStage<ApiMessage> handle(RequestFrame request, ClientConnection connection) {
        return switch (request.api()) {
            case PRODUCE -> produce.handle((ProduceRequestData) request.body(), request.apiVersion());
            case FETCH -> fetch.handle((FetchRequestData) request.body(), request.apiVersion());
            case LIST_OFFSETS -> listOffsets.handle((ListOffsetsRequestData) request.body(), request.apiVersion());
            case OFFSET_FOR_LEADER_EPOCH -> offsetForLeaderEpoch.handle(
                    (OffsetForLeaderEpochRequestData) request.body(), request.apiVersion());
            case DELETE_RECORDS -> deleteRecords.handle((DeleteRecordsRequestData) request.body(),
                    request.apiVersion());
            case DESCRIBE_PRODUCERS -> describeProducers.handle((DescribeProducersRequestData) request.body(),
                    request.apiVersion());
            case DESCRIBE_LOG_DIRS -> describeLogDirs.handle((DescribeLogDirsRequestData) request.body());
            case WRITE_TXN_MARKERS -> writeTxnMarkers.handle((WriteTxnMarkersRequestData) request.body(),
                    request.apiVersion());
            default -> CompletableFuture.failedFuture(
                    new IllegalStateException(request.api() + " is not served by a broker"));
        };
    }
}
