package io.sluice.gateway.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.net.ChannelLogin;
import io.vertx.core.Vertx;

/**
 * Requests the gateway makes to partition leaders on its own account (for HTTP clients), through the same
 * {@link PartitionwiseRouter}s as a Kafka client's. Produce and ListOffsets share one set of broker connections; a
 * fetch may wait, and a waiting request holds up every answer behind it on its connection, so each fetch borrows a set
 * of its own from a bounded pool.
 */
public final class LeaderRequests implements AutoCloseable {

    /** Produce v12: the newest that names topics (v13 names them by id). */
    static final short PRODUCE_VERSION = 12;
    /** Fetch v12: the newest that names topics. */
    static final short FETCH_VERSION = 12;
    static final short LIST_OFFSETS_VERSION = 7;
    /** Ten tries 100 ms apart: a second for the view to catch up with a leader the coordinator has chosen. */
    private static final int LIST_OFFSETS_ATTEMPTS = 10;
    private static final Duration LIST_OFFSETS_BACKOFF = Duration.ofMillis(100);

    private static final String CLIENT_ID = "sluice-gateway-http";

    private final Vertx vertx;
    private final ChannelLogin login;
    private final MetadataView metadata;
    private final PartitionwiseRouter<ProduceRequestData, ?, ?, ?, ?> produce;
    private final PartitionwiseRouter<FetchRequestData, ?, ?, ?, ?> fetch;
    private final PartitionwiseRouter<ListOffsetsRequestData, ?, ?, ?, ?> listOffsets;
    private final BrokerChannels shared;
    private final int maxFetches;
    private final ArrayDeque<BrokerChannels> idleFetchChannels = new ArrayDeque<>();
    private int fetching;
    private boolean closed;

    /** @param maxFetches how many fetches may be in flight at once; more are refused */
    public LeaderRequests(Vertx vertx, MetadataView metadata, ChannelLogin login, int maxFetches) {
        this.vertx = vertx;
        this.login = login;
        this.metadata = metadata;
        this.produce = new PartitionwiseRouter<>(metadata, new ProduceMessages());
        this.fetch = new PartitionwiseRouter<>(metadata, new FetchMessages(false));
        this.listOffsets = new PartitionwiseRouter<>(metadata, new ListOffsetsMessages());
        this.shared = new BrokerChannels(vertx, CLIENT_ID, login);
        this.maxFetches = maxFetches;
    }

    /** Thrown when {@code maxFetches} fetches are in flight already. */
    public static final class TooManyFetchesException extends RuntimeException {
        TooManyFetchesException(int max) {
            super(max + " reads are in flight on this gateway already");
        }
    }

    /** Produces at {@link #PRODUCE_VERSION}; acks must not be 0 (the answer is what the caller reports). */
    public CompletableFuture<ProduceResponseData> produce(ProduceRequestData request) {
        if (request.acks() == 0) {
            throw new IllegalArgumentException("acks=0 has no answer to report");
        }
        return produce.route(request, PRODUCE_VERSION, shared).thenApply(ProduceResponseData.class::cast);
    }

    /**
     * Whether a partition's produce answer says its records were certainly not appended, so sending them again
     * cannot duplicate them: the partition had no leader to send to, its leader could not be reached, or it answered
     * that it is not one (yet). A leader that was sent them and did not answer may have appended them
     * (REQUEST_TIMED_OUT).
     */
    public static boolean notAppended(PartitionProduceResponse answer) {
        Errors error = Errors.forCode(answer.errorCode());
        return error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.LEADER_NOT_AVAILABLE
                || error == Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /**
     * Lists offsets, asking again (on a fresh view, a few times) while a partition's leader is moving: unlike a Kafka
     * client, an HTTP client has no retry of its own, and right after a topic is created or a leader fails over the
     * gateway's view may still name no leader or the old one. Listing offsets changes nothing, so asking again is safe.
     */
    public CompletableFuture<ListOffsetsResponseData> listOffsets(ListOffsetsRequestData request) {
        return listOffsets(request, LIST_OFFSETS_ATTEMPTS);
    }

    private CompletableFuture<ListOffsetsResponseData> listOffsets(ListOffsetsRequestData request, int attempts) {
        return listOffsets.route(request, LIST_OFFSETS_VERSION, shared).thenApply(ListOffsetsResponseData.class::cast)
                .thenCompose(response -> attempts > 1 && leaderMoving(response)
                        ? after(LIST_OFFSETS_BACKOFF).thenCompose(x -> metadata.refresh())
                                .thenCompose(view -> listOffsets(request, attempts - 1))
                        : CompletableFuture.completedFuture(response));
    }

    private static boolean leaderMoving(ListOffsetsResponseData response) {
        return response.topics().stream().flatMap(t -> t.partitions().stream()).map(p -> Errors.forCode(p.errorCode()))
                .anyMatch(e -> e == Errors.NOT_LEADER_OR_FOLLOWER || e == Errors.LEADER_NOT_AVAILABLE
                        || e == Errors.FENCED_LEADER_EPOCH);
    }

    private CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.setTimer(delay.toMillis(), id -> done.complete(null));
        return done;
    }

    /**
     * Fetches at {@link #FETCH_VERSION} on connections no other request waits behind.
     *
     * @throws TooManyFetchesException when the pool is used up
     */
    public CompletableFuture<FetchResponseData> fetch(FetchRequestData request) {
        BrokerChannels channels = lease();
        CompletableFuture<FetchResponseData> answer;
        try {
            answer = fetch.route(request, FETCH_VERSION, channels).thenApply(FetchResponseData.class::cast);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.whenComplete((response, failure) -> giveBack(channels));
    }

    private synchronized BrokerChannels lease() {
        if (fetching == maxFetches) {
            throw new TooManyFetchesException(maxFetches);
        }
        fetching++;
        BrokerChannels idle = idleFetchChannels.poll();
        return idle != null ? idle : new BrokerChannels(vertx, CLIENT_ID, login);
    }

    private void giveBack(BrokerChannels channels) {
        synchronized (this) {
            fetching--;
            if (!closed) {
                idleFetchChannels.push(channels);
                return;
            }
        }
        channels.close();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            idleFetchChannels.forEach(BrokerChannels::close);
            idleFetchChannels.clear();
        }
        shared.close();
    }
}
