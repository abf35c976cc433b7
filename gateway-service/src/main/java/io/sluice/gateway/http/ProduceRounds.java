package io.sluice.gateway.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.PlainRecord;
import io.sluice.protocol.record.PlainRecords;

/**
 * Sends the records of one HTTP produce request with acks=all, as a Kafka producer would: in batches of at most
 * {@value #BATCH_BYTES} bytes per partition (a larger record alone), one batch per partition per Produce request (all
 * Kafka allows), so a partition's batches go round by round, in order. A batch the topic finds too large
 * ({@code max.message.bytes} set below the default) is split in two and sent again; one whose leader certainly did
 * not append it (a leader just moved, a topic just created) is sent again for {@link #RETRY_TIME}, so that no batch is
 * ever written twice. Every record's outcome is in the answer, in the request's order.
 */
final class ProduceRounds {

    /** Kafka's default {@code max.message.bytes}, which a batch of this size or less never exceeds. */
    static final int BATCH_BYTES = 1024 * 1024;
    /** A record's bytes in a batch beyond its payload: lengths, deltas, attributes. */
    private static final int RECORD_OVERHEAD = 32;
    private static final int TIMEOUT_MS = 30_000;
    private static final Duration RETRY_TIME = Duration.ofSeconds(10);
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(200);

    /** A record and the partition it goes to. */
    record Placed(int partition, PlainRecord record) {
    }

    /** Some of a partition's records in one batch: their places in the request, and the batch. */
    private record Batch(int partition, List<Integer> places, ByteBuffer bytes) {
    }

    private final String topic;
    private final List<Placed> placed;
    private final MetadataView metadata;
    private final LeaderRequests leaders;
    private final long now = System.currentTimeMillis();
    /** Until when batches certainly not appended are sent again: from the first round, after any quota wait. */
    private long deadline;
    private final Map<Integer, ArrayDeque<Batch>> pending = new LinkedHashMap<>();
    private final ProduceAnswer.Outcome[] outcomes;

    ProduceRounds(String topic, List<Placed> placed, MetadataView metadata, LeaderRequests leaders) {
        this.topic = topic;
        this.placed = placed;
        this.metadata = metadata;
        this.leaders = leaders;
        this.outcomes = new ProduceAnswer.Outcome[placed.size()];
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int place = 0; place < placed.size(); place++) {
            byPartition.computeIfAbsent(placed.get(place).partition(), p -> new ArrayList<>()).add(place);
        }
        byPartition.forEach((partition, places) -> {
            ArrayDeque<Batch> batches = new ArrayDeque<>();
            int from = 0;
            long bytes = 0;
            for (int i = 0; i < places.size(); i++) {
                int size = placed.get(places.get(i)).record().payloadSize() + RECORD_OVERHEAD;
                if (i > from && bytes + size > BATCH_BYTES) {
                    batches.add(batch(partition, places.subList(from, i)));
                    from = i;
                    bytes = 0;
                }
                bytes += size;
            }
            batches.add(batch(partition, places.subList(from, places.size())));
            pending.put(partition, batches);
        });
    }

    /** The bytes of every batch: what a Kafka producer's requests count against its quota. */
    long batchBytes() {
        return pending.values().stream().flatMap(ArrayDeque::stream).mapToLong(b -> b.bytes().remaining()).sum();
    }

    CompletableFuture<ProduceAnswer> send() {
        deadline = System.nanoTime() + RETRY_TIME.toNanos();
        return round();
    }

    private CompletableFuture<ProduceAnswer> round() {
        List<Batch> round = new ArrayList<>();
        pending.values().removeIf(ArrayDeque::isEmpty);
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(new ProduceAnswer(List.of(outcomes)));
        }
        pending.values().forEach(batches -> round.add(batches.peek()));
        TopicProduceData topicData = new TopicProduceData().setName(topic);
        round.forEach(batch -> topicData.partitionData().add(new PartitionProduceData()
                .setIndex(batch.partition())
                .setRecords(BatchRecords.records(batch.bytes().duplicate()))));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(TIMEOUT_MS);
        request.topicData().add(topicData);
        return leaders.produce(request).thenCompose(response -> {
            Map<Integer, PartitionProduceResponse> answers = new LinkedHashMap<>();
            response.responses().forEach(t -> t.partitionResponses().forEach(p -> answers.put(p.index(), p)));
            boolean retry = false;
            for (Batch batch : round) {
                retry |= answered(batch, answers.get(batch.partition()));
            }
            if (!retry) {
                return round();
            }
            return metadata.refresh().thenComposeAsync(view -> round(),
                    CompletableFuture.delayedExecutor(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    /** Takes a batch's answer: its records' outcomes, or its halves or itself to send again (then true if it waits). */
    private boolean answered(Batch batch, PartitionProduceResponse answer) {
        ArrayDeque<Batch> batches = pending.get(batch.partition());
        Errors error = answer == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forCode(answer.errorCode());
        if (answer != null && LeaderRequests.notAppended(answer) && System.nanoTime() < deadline) {
            return true;
        }
        batches.poll();
        if (error == Errors.MESSAGE_TOO_LARGE && batch.places().size() > 1) {
            int half = batch.places().size() / 2;
            batches.addFirst(batch(batch.partition(), batch.places().subList(half, batch.places().size())));
            batches.addFirst(batch(batch.partition(), batch.places().subList(0, half)));
            return false;
        }
        for (int i = 0; i < batch.places().size(); i++) {
            outcomes[batch.places().get(i)] = error == Errors.NONE
                    ? ProduceAnswer.Outcome.stored(batch.partition(), answer.baseOffset() + i)
                    : ProduceAnswer.Outcome.failed(batch.partition(), KafkaErrorStatus.of(error),
                            KafkaErrorStatus.message(error, answer == null ? null : answer.errorMessage()));
        }
        return false;
    }

    private Batch batch(int partition, List<Integer> places) {
        List<PlainRecord> records = places.stream().map(place -> placed.get(place).record()).toList();
        return new Batch(partition, places, PlainRecords.batch(records, now));
    }
}
