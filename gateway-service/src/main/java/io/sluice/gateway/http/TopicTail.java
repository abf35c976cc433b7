package io.sluice.gateway.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.PlainRecord;
import io.sluice.protocol.record.PlainRecords;

/**
 * A live tail of a topic, over Server-Sent Events or a WebSocket ({@link TailOutput}): fetch every partition from its
 * position, send one event per record, and fetch again only once the client has taken the events already sent, so a
 * slow reader holds at most about one fetch's records in the gateway. Each event's id is every partition's next offset
 * ({@code 0:13,1:7}), so a client that reconnects with it as {@code Last-Event-ID} misses and repeats nothing. A
 * caller over its {@code consumer_byte_rate} is held to it between steps: each waits what it owes first and fetches no
 * more than the quota allows at once, and the payload bytes of its events count against it.
 */
final class TopicTail {

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    /** How long one fetch waits for records; an empty one sends a comment, which also notices a departed client. */
    static final int WAIT_MS = 10_000;
    /**
     * The most events one step sends: every id names every partition, so many small records would otherwise cost far
     * more memory than the fetch that brought them.
     */
    private static final int STEP_EVENTS = 1_000;
    /** The most partitions one tail follows, which bounds an id's length; more must be tailed one by one. */
    static final int MAX_PARTITIONS = 128;
    private static final long BUSY_BACKOFF_MS = 1_000;

    /** Where a tail starts when the client gives no position for a partition. */
    sealed interface Start {
        record Earliest() implements Start {
        }

        record Latest() implements Start {
        }

        record At(long offset) implements Start {
        }
    }

    private final LeaderRequests leaders;
    private final Executor decoding;
    private final TailRequest asked;
    private final TopicView topic;
    private final TailOutput output;
    private final Counter handedOver;
    private final QuotaAccount quota;
    private final StreamSlots.Slot slot;
    /** partition → next offset to read; touched by one step at a time. */
    private final TreeMap<Integer, Long> positions = new TreeMap<>();
    private int steps;

    /**
     * @param handedOver counts the events given to the HTTP layer to write
     * @param quota the caller's, which its reads are held to
     * @param slot the tail's hold on the gateway, given back once it stops
     */
    TopicTail(LeaderRequests leaders, Executor decoding, TailRequest request, TailOutput output, Counter handedOver,
            QuotaAccount quota, StreamSlots.Slot slot) {
        this.leaders = leaders;
        this.decoding = decoding;
        this.asked = request;
        this.topic = request.topic();
        this.output = output;
        this.handedOver = handedOver;
        this.quota = quota;
        this.slot = slot;
    }

    /** {@code sluice_http_stream_events_total}: the events live tails have handed over to be written. */
    static Counter handedOver(MeterRegistry registry) {
        return Counter.builder("sluice.http.stream.events")
                .description("Events live tails have handed over to be written to their clients")
                .register(registry);
    }

    /** Starts tailing the request's partitions, from where it resumes, else from its start. */
    void start() {
        List<Integer> toLookUp = asked.partitions().stream().filter(p -> !asked.resumed().containsKey(p))
                .toList();
        asked.partitions().stream().filter(asked.resumed()::containsKey)
                .forEach(p -> positions.put(p, asked.resumed().get(p)));
        CompletableFuture<Void> started;
        if (toLookUp.isEmpty()) {
            started = CompletableFuture.completedFuture(null);
        } else if (asked.start() instanceof Start.At at) {
            toLookUp.forEach(p -> positions.put(p, at.offset()));
            started = CompletableFuture.completedFuture(null);
        } else {
            long timestamp = asked.start() instanceof Start.Earliest ? ListOffsetsRequest.EARLIEST_TIMESTAMP
                    : ListOffsetsRequest.LATEST_TIMESTAMP;
            started = lookUp(toLookUp, timestamp).thenAccept(positions::putAll);
        }
        started.whenComplete((nothing, failure) -> {
            if (failure != null) {
                end(new HttpError(503, "the partitions' offsets could not be found: " + cause(failure).getMessage()));
            } else {
                step();
            }
        });
    }

    private CompletableFuture<Map<Integer, Long>> lookUp(List<Integer> partitions, long timestamp) {
        ListOffsetsTopic listed = new ListOffsetsTopic().setName(topic.name());
        partitions.forEach(p -> listed.partitions().add(new ListOffsetsPartition()
                .setPartitionIndex(p).setTimestamp(timestamp).setCurrentLeaderEpoch(-1)));
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0);
        request.topics().add(listed);
        return leaders.listOffsets(request).thenApply(response -> {
            Map<Integer, Long> found = new TreeMap<>();
            response.topics().forEach(t -> t.partitions().forEach(p -> {
                Errors error = Errors.forCode(p.errorCode());
                if (error != Errors.NONE) {
                    throw new HttpError(KafkaErrorStatus.of(error), KafkaErrorStatus.message(error, null));
                }
                found.put(p.partitionIndex(), p.offset());
            }));
            return found;
        });
    }

    /** Once the caller owes nothing: one fetch, its events sent, then the next step once the client has taken them. */
    private void step() {
        if (output.closed()) {
            slot.release();
        } else {
            quota.paidUp(ClientQuotas.CONSUMER_BYTE_RATE).thenRun(this::read);
        }
    }

    private void read() {
        if (output.closed()) {
            slot.release();
            return;
        }
        int bytes = quota.atOnce(ClientQuotas.CONSUMER_BYTE_RATE, slot.stepBytes());
        CompletableFuture<FetchResponseData> fetched;
        try {
            fetched = leaders.fetch(fetch(bytes));
        } catch (LeaderRequests.TooManyFetchesException busy) {
            CompletableFuture.delayedExecutor(BUSY_BACKOFF_MS, TimeUnit.MILLISECONDS).execute(this::step);
            return;
        }
        fetched.thenApplyAsync(response -> events(response, bytes), decoding)
                .thenCompose(this::send)
                .whenComplete((nothing, failure) -> {
                    if (failure == null) {
                        step();
                    } else {
                        Throwable cause = cause(failure);
                        end(cause instanceof HttpError error ? error : new HttpError(503, cause.getMessage()));
                    }
                });
    }

    private FetchRequestData fetch(int bytes) {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(WAIT_MS)
                .setMinBytes(1)
                .setMaxBytes(bytes)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1);
        FetchTopic fetchTopic = new FetchTopic().setTopic(topic.name());
        int perPartition = Math.min(bytes, Math.max(64 * 1024, bytes / positions.size()));
        positions.forEach((partition, offset) -> fetchTopic.partitions().add(new FetchPartition()
                .setPartition(partition)
                .setFetchOffset(offset)
                .setPartitionMaxBytes(perPartition)
                .setCurrentLeaderEpoch(-1)
                .setLogStartOffset(-1)));
        request.topics().add(fetchTopic);
        return request;
    }

    /**
     * The events of a fetch's records, each with the positions after it as its id; at most {@link #STEP_EVENTS}, the
     * partitions taken in turn from a different one each step, so a partition far behind starves no other.
     */
    private List<TailOutput.Event> events(FetchResponseData response, int bytes) {
        List<FetchResponseData.PartitionData> answered = new ArrayList<>();
        response.responses().forEach(t -> answered.addAll(t.partitions()));
        if (!answered.isEmpty()) {
            Collections.rotate(answered, -(steps++ % answered.size()));
        }
        List<TailOutput.Event> events = new ArrayList<>();
        for (FetchResponseData.PartitionData data : answered) {
            Errors error = Errors.forCode(data.errorCode());
            if (error == Errors.OFFSET_OUT_OF_RANGE) {
                throw new HttpError(416, "offset " + positions.get(data.partitionIndex()) + " is out of range of "
                        + "partition " + data.partitionIndex());
            }
            if (error != Errors.NONE || events.size() == STEP_EVENTS) {
                // A leader moving or away, or enough for this step: fetched again at the same position.
                continue;
            }
            PlainRecords.Read read = PlainRecords.read(BatchRecords.bytes(data.records()),
                    positions.get(data.partitionIndex()), STEP_EVENTS - events.size(), bytes);
            quota.spend(ClientQuotas.CONSUMER_BYTE_RATE, read::payloadSize);
            for (PlainRecord r : read.records()) {
                positions.put(data.partitionIndex(), r.offset() + 1);
                events.add(event(data.partitionIndex(), r));
            }
            positions.put(data.partitionIndex(), read.nextOffset());
        }
        return events;
    }

    private TailOutput.Event event(int partition, PlainRecord r) {
        EmbeddedFormat format = asked.format();
        return new TailOutput.Event(id(), new StreamedRecord(topic.name(), partition, r.offset(), r.timestamp(),
                format.node(r.key(), r.offset(), "key"), format.node(r.value(), r.offset(), "value"),
                r.headers().stream().map(h -> new PartitionRead.Header(h.key(), h.value())).toList()));
    }

    private String id() {
        StringBuilder id = new StringBuilder();
        positions.forEach((partition, offset) -> id.append(id.isEmpty() ? "" : ",").append(partition).append(':')
                .append(offset));
        return id.toString();
    }

    /** Sends the events, or a keep-alive when there are none; completes when the tail may fetch again. */
    private CompletionStage<Void> send(List<TailOutput.Event> events) {
        if (events.isEmpty()) {
            return output.idle();
        }
        handedOver.increment(events.size());
        return output.send(events);
    }

    private void end(HttpError why) {
        slot.release();
        if (!output.closed()) {
            LOG.debugf("tail of %s ends: %s", topic.name(), why.getMessage());
            output.end(why);
        }
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
