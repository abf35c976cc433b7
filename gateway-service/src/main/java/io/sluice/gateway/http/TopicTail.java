package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
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

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

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
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.PlainRecord;
import io.sluice.protocol.record.PlainRecords;

/**
 * A live tail of a topic as Server-Sent Events: fetch every partition from its position, send one event per record,
 * and fetch again only once the client has taken the events already sent (their writes completed), so a slow reader
 * holds at most one fetch's records in the gateway. Each event's id is every partition's next offset
 * ({@code 0:13,1:7}), so a client that reconnects with it as {@code Last-Event-ID} misses and repeats nothing.
 */
final class TopicTail {

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    /** How long one fetch waits for records; an empty one sends a comment, which also notices a departed client. */
    static final int WAIT_MS = 10_000;
    private static final int FETCH_BYTES = 1 << 20;
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
    private final TopicView topic;
    private final EmbeddedFormat format;
    private final SseEventSink sink;
    private final Sse sse;
    private final Counter handedOver;
    /** partition → next offset to read; touched by one step at a time. */
    private final TreeMap<Integer, Long> positions = new TreeMap<>();
    private int steps;

    /** @param handedOver counts the events given to the HTTP layer to write */
    TopicTail(LeaderRequests leaders, Executor decoding, TopicView topic, EmbeddedFormat format, SseEventSink sink,
            Sse sse, Counter handedOver) {
        this.leaders = leaders;
        this.decoding = decoding;
        this.topic = topic;
        this.format = format;
        this.sink = sink;
        this.sse = sse;
        this.handedOver = handedOver;
    }

    /**
     * Parses a {@code Last-Event-ID} ({@code 0:13,1:7}): each partition's next offset. Partitions not named start as
     * the request says.
     */
    static Map<Integer, Long> resumeFrom(String lastEventId, TopicView topic) {
        Map<Integer, Long> positions = new TreeMap<>();
        if (lastEventId == null || lastEventId.isBlank()) {
            return positions;
        }
        for (String part : lastEventId.split(",", topic.partitions().size() + 1)) {
            String[] pair = part.trim().split(":", -1);
            if (pair.length != 2) {
                throw HttpError.badRequest("Last-Event-ID must be partition:offset pairs, as the stream's ids are");
            }
            int partition = Params.intIn("Last-Event-ID partition", pair[0], 0, 0, Integer.MAX_VALUE);
            PartitionReader.checkPartition(topic, partition);
            positions.put(partition, Params.longIn("Last-Event-ID offset", pair[1], 0, 0, Long.MAX_VALUE));
        }
        return positions;
    }

    /** Starts tailing {@code partitions}, from {@code resumed} where given, else from {@code start}. */
    void start(List<Integer> partitions, Map<Integer, Long> resumed, Start start) {
        List<Integer> toLookUp = partitions.stream().filter(p -> !resumed.containsKey(p)).toList();
        partitions.stream().filter(resumed::containsKey).forEach(p -> positions.put(p, resumed.get(p)));
        CompletableFuture<Void> started;
        if (toLookUp.isEmpty()) {
            started = CompletableFuture.completedFuture(null);
        } else if (start instanceof Start.At at) {
            toLookUp.forEach(p -> positions.put(p, at.offset()));
            started = CompletableFuture.completedFuture(null);
        } else {
            long timestamp = start instanceof Start.Earliest ? ListOffsetsRequest.EARLIEST_TIMESTAMP
                    : ListOffsetsRequest.LATEST_TIMESTAMP;
            started = lookUp(toLookUp, timestamp).thenAccept(positions::putAll);
        }
        started.whenComplete((nothing, failure) -> {
            if (failure != null) {
                end("the partitions' offsets could not be found: " + cause(failure).getMessage());
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

    /** One fetch, its events sent, then the next step once the client has taken them. */
    private void step() {
        if (sink.isClosed()) {
            return;
        }
        CompletableFuture<FetchResponseData> fetched;
        try {
            fetched = leaders.fetch(fetch());
        } catch (LeaderRequests.TooManyFetchesException busy) {
            CompletableFuture.delayedExecutor(BUSY_BACKOFF_MS, TimeUnit.MILLISECONDS).execute(this::step);
            return;
        }
        fetched.thenApplyAsync(this::events, decoding)
                .thenCompose(this::send)
                .whenComplete((nothing, failure) -> {
                    if (failure == null) {
                        step();
                    } else if (!sink.isClosed()) {
                        end(cause(failure).getMessage());
                    }
                });
    }

    private FetchRequestData fetch() {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(WAIT_MS)
                .setMinBytes(1)
                .setMaxBytes(FETCH_BYTES)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1);
        FetchTopic fetchTopic = new FetchTopic().setTopic(topic.name());
        int perPartition = Math.max(64 * 1024, FETCH_BYTES / positions.size());
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
    private List<OutboundSseEvent> events(FetchResponseData response) {
        List<FetchResponseData.PartitionData> answered = new ArrayList<>();
        response.responses().forEach(t -> answered.addAll(t.partitions()));
        if (!answered.isEmpty()) {
            Collections.rotate(answered, -(steps++ % answered.size()));
        }
        List<OutboundSseEvent> events = new ArrayList<>();
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
                    positions.get(data.partitionIndex()), STEP_EVENTS - events.size(), FETCH_BYTES);
            for (PlainRecord r : read.records()) {
                positions.put(data.partitionIndex(), r.offset() + 1);
                events.add(event(data.partitionIndex(), r));
            }
            positions.put(data.partitionIndex(), read.nextOffset());
        }
        if (events.isEmpty()) {
            events.add(sse.newEventBuilder().comment("waiting for records").build());
        }
        return events;
    }

    private OutboundSseEvent event(int partition, PlainRecord r) {
        StreamedRecord record = new StreamedRecord(topic.name(), partition, r.offset(), r.timestamp(),
                format.node(r.key(), r.offset(), "key"), format.node(r.value(), r.offset(), "value"),
                r.headers().stream().map(h -> new PartitionRead.Header(h.key(), h.value())).toList());
        try {
            return sse.newEventBuilder()
                    .id(id())
                    .data(EmbeddedFormat.MAPPER.writeValueAsString(record))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String id() {
        StringBuilder id = new StringBuilder();
        positions.forEach((partition, offset) -> id.append(id.isEmpty() ? "" : ",").append(partition).append(':')
                .append(offset));
        return id.toString();
    }

    /** Sends the events; completes once the last one is written, which is when the client has taken them all. */
    private CompletionStage<Void> send(List<OutboundSseEvent> events) {
        CompletionStage<?> last = CompletableFuture.completedFuture(null);
        for (OutboundSseEvent event : events) {
            last = sink.send(event);
            handedOver.increment();
        }
        return last.thenApply(written -> null);
    }

    /** Ends the stream with an {@code error} event saying why. */
    private void end(String why) {
        if (sink.isClosed()) {
            return;
        }
        LOG.debugf("tail of %s ends: %s", topic.name(), why);
        sink.send(sse.newEventBuilder().name("error").data(why).build())
                .whenComplete((written, failure) -> sink.close());
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
