package io.sluice.gateway.routing;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.FetchMemory;
import io.vertx.core.Vertx;

/**
 * The data path (Produce, Fetch, ListOffsets, OffsetForLeaderEpoch) and the partition admin APIs (DeleteRecords,
 * DescribeProducers), each split by partition leader and sent to the brokers over the client connection's own upstream
 * connections, the answers merged in the request's order; DescribeLogDirs goes to every broker.
 */
public final class DataRouter {

    /** What this router forwards. */
    public static final Set<ApiKeys> APIS = BrokerContract.DATA_APIS.stream()
            .map(ApiVersionRange::api)
            .collect(Collectors.toUnmodifiableSet());

    private final Vertx vertx;
    private final ChannelLogin login;
    private final PartitionwiseRouter<ProduceRequestData, ?, ?, ?, ?> produce;
    private final PartitionwiseRouter<FetchRequestData, ?, ?, ?, ?> fetch;
    private final PartitionwiseRouter<ListOffsetsRequestData, ?, ?, ?, ?> listOffsets;
    private final PartitionwiseRouter<OffsetForLeaderEpochRequestData, ?, ?, ?, ?> offsetForLeaderEpoch;
    private final PartitionwiseRouter<DeleteRecordsRequestData, ?, ?, ?, ?> deleteRecords;
    private final PartitionwiseRouter<DescribeProducersRequestData, ?, ?, ?, ?> describeProducers;
    private final LogDirs logDirs;
    private final FetchMemory fetchMemory;

    /** @param fetchMemory what the fetches routed here may gather from the leaders at once */
    public DataRouter(Vertx vertx, MetadataView metadata, ChannelLogin login, FetchMemory fetchMemory) {
        this.vertx = vertx;
        this.login = login;
        this.fetchMemory = fetchMemory;
        this.produce = new PartitionwiseRouter<>(metadata, new ProduceMessages());
        this.fetch = new PartitionwiseRouter<>(metadata, new FetchMessages(true));
        this.listOffsets = new PartitionwiseRouter<>(metadata, new ListOffsetsMessages());
        this.offsetForLeaderEpoch = new PartitionwiseRouter<>(metadata, new OffsetForLeaderEpochMessages());
        this.deleteRecords = new PartitionwiseRouter<>(metadata, new DeleteRecordsMessages());
        this.describeProducers = new PartitionwiseRouter<>(metadata, new DescribeProducersMessages());
        this.logDirs = new LogDirs(metadata);
    }

    /** Routes one of {@link #APIS}; completes with null for a Produce with acks=0, which is answered by nobody. */
    public CompletableFuture<ApiMessage> route(RequestFrame request, ClientConnection connection) {
        return route(request, connection, null);
    }

    /**
     * Routes one of {@link #APIS}, answering TOPIC_AUTHORIZATION_FAILED for the partitions of topics not
     * {@code allowed} (null: all are), as Kafka's brokers answer them, and serving the others.
     */
    public CompletableFuture<ApiMessage> route(RequestFrame request, ClientConnection connection,
            Predicate<String> allowed) {
        short version = request.apiVersion();
        ApiMessage body = request.body();
        BrokerChannels brokers = connection.attachment(BrokerChannels.class,
                () -> new BrokerChannels(vertx, request.clientId() == null ? "gateway" : request.clientId(),
                        login));
        return switch (request.api()) {
            case PRODUCE -> produce.route(request, brokers, allowed);
            case FETCH -> fetchWithin(request, connection, brokers, allowed);
            case LIST_OFFSETS -> listOffsets.route((ListOffsetsRequestData) body, version, brokers, allowed);
            case OFFSET_FOR_LEADER_EPOCH -> offsetForLeaderEpoch.route((OffsetForLeaderEpochRequestData) body,
                    version, brokers, allowed);
            case DELETE_RECORDS -> deleteRecords.route((DeleteRecordsRequestData) body, version, brokers, allowed);
            case DESCRIBE_PRODUCERS -> describeProducers.route((DescribeProducersRequestData) body, version, brokers,
                    allowed);
            case DESCRIBE_LOG_DIRS -> logDirs.describe((DescribeLogDirsRequestData) body, version, brokers);
            default -> throw new IllegalArgumentException(request.api() + " is not a data API");
        };
    }

    /**
     * A fetch within what the gateway's fetch memory has free: each leader it goes to is asked for its share of the
     * grant (the client's maxBytes bounds the whole answer, as in Kafka), the memory's floor when nothing is free.
     * The grant is given back once the answer is written (a slow reader's answer waits in the gateway till then) and
     * every leader's part has come in (those still under way after the client was answered bring data too).
     */
    private CompletableFuture<ApiMessage> fetchWithin(RequestFrame frame, ClientConnection connection,
            BrokerChannels brokers, Predicate<String> allowed) {
        FetchRequestData request = (FetchRequestData) frame.body();
        int granted = fetchMemory.takeFor(request.maxBytes());
        AtomicInteger untilFree = new AtomicInteger(2);
        Runnable oneDone = () -> {
            if (untilFree.decrementAndGet() == 0) {
                fetchMemory.release(granted);
            }
        };
        connection.afterAnswerWritten(frame, oneDone);
        request.setMaxBytes(granted);
        try {
            return fetch.route(request, frame.apiVersion(), brokers, allowed, oneDone);
        } catch (RuntimeException e) {
            oneDone.run(); // no part was sent: none will come in
            throw e;
        }
    }
}
