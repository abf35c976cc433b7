package io.sluice.gateway.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.PlainRecord;
import io.sluice.protocol.record.PlainRecords;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One {@code GET …/records} of a consumer instance: where each of its partitions is read from (its position, else the
 * group's committed offset, else {@code auto.offset.reset}, with ListOffsets for the ends), one Fetch of them all to
 * their leaders that waits up to the timeout for data, and the positions after what was read, which the caller saves
 * in the coordinator. A position outside a partition's log is reset as {@code auto.offset.reset} says. A caller over
 * its {@code consumer_byte_rate} waits what it owes first, reads no more than its quota allows at once, and the
 * payload bytes it gets count against it.
 */
final class InstancePoll {

    /** A record as the bridge returns it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BridgeRecord(String topic, Object key, Object value, int partition, long offset, long timestamp,
            List<PartitionRead.Header> headers) {
    }

    /** What a poll read, and the positions it moved. */
    record Polled(List<BridgeRecord> records, List<InstanceState.Position> moved) {
    }

    private final LeaderRequests leaders;
    private final Executor decoding;
    private final int maxRecords;

    InstancePoll(LeaderRequests leaders, Executor decoding, int maxRecords) {
        this.leaders = leaders;
        this.decoding = decoding;
        this.maxRecords = maxRecords;
    }

    CompletableFuture<Polled> poll(InstanceState state, ConsumerSettings settings, int waitMs, int askedBytes,
            QuotaAccount quota) {
        Map<InstanceState.Partition, Long> starts = new LinkedHashMap<>();
        for (InstanceState.PartitionPosition p : state.partitions()) {
            starts.put(new InstanceState.Partition(p.topic(), p.partition()), start(p, settings));
        }
        if (starts.isEmpty()) {
            return CompletableFuture.completedFuture(new Polled(List.of(), List.of()));
        }
        int maxBytes = quota.atOnce(ClientQuotas.CONSUMER_BYTE_RATE, askedBytes);
        return quota.paidUp(ClientQuotas.CONSUMER_BYTE_RATE)
                .thenCompose(paid -> resolve(starts))
                .thenCompose(resolved -> leaders.fetch(fetch(resolved, settings, waitMs, maxBytes))
                        .thenApplyAsync(response -> read(response, resolved, starts, settings, maxBytes, quota),
                                decoding));
    }

    private static long start(InstanceState.PartitionPosition p, ConsumerSettings settings) {
        if (p.position() != null) {
            return p.position();
        }
        if (p.committed() != null && p.committed() >= 0) {
            return p.committed();
        }
        return settings.resetTo().orElseThrow(() -> HttpError.unprocessable("partition " + p.partition()
                + " of topic " + p.topic() + " has no committed offset and auto.offset.reset is none: seek first"));
    }

    /** The offsets of partitions to start at an end of their log, asked of their leaders. */
    private CompletableFuture<Map<InstanceState.Partition, Long>> resolve(Map<InstanceState.Partition, Long> starts) {
        Map<String, ListOffsetsTopic> topics = new LinkedHashMap<>();
        starts.forEach((p, offset) -> {
            if (offset < 0) {
                topics.computeIfAbsent(p.topic(), t -> new ListOffsetsTopic().setName(t)).partitions()
                        .add(new ListOffsetsPartition().setPartitionIndex(p.partition()).setTimestamp(offset)
                                .setCurrentLeaderEpoch(-1));
            }
        });
        if (topics.isEmpty()) {
            return CompletableFuture.completedFuture(starts);
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0);
        request.topics().addAll(topics.values());
        return leaders.listOffsets(request).thenApply(response -> {
            Map<InstanceState.Partition, Long> resolved = new LinkedHashMap<>(starts);
            for (ListOffsetsResponseData.ListOffsetsTopicResponse t : response.topics()) {
                for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions()) {
                    InstanceState.Partition partition = new InstanceState.Partition(t.name(), p.partitionIndex());
                    if (p.errorCode() == Errors.NONE.code()) {
                        resolved.put(partition, p.offset());
                    } else {
                        // no leader to ask now: this poll skips the partition, the next one asks again
                        resolved.remove(partition);
                    }
                }
            }
            return resolved;
        });
    }

    private static FetchRequestData fetch(Map<InstanceState.Partition, Long> offsets, ConsumerSettings settings,
            int waitMs, int maxBytes) {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(waitMs)
                .setMinBytes(settings.fetchMinBytes())
                .setMaxBytes(maxBytes)
                .setIsolationLevel(settings.isolationLevel())
                .setSessionId(0)
                .setSessionEpoch(-1);
        Map<String, FetchTopic> topics = new LinkedHashMap<>();
        offsets.forEach((p, offset) -> topics.computeIfAbsent(p.topic(), t -> new FetchTopic().setTopic(t))
                .partitions().add(new FetchPartition()
                        .setPartition(p.partition())
                        .setFetchOffset(offset)
                        .setPartitionMaxBytes(maxBytes)
                        .setCurrentLeaderEpoch(-1)
                        .setLogStartOffset(-1)));
        request.topics().addAll(topics.values());
        return request;
    }

    private Polled read(FetchResponseData response, Map<InstanceState.Partition, Long> offsets,
            Map<InstanceState.Partition, Long> starts, ConsumerSettings settings, int maxBytes, QuotaAccount quota) {
        List<BridgeRecord> records = new ArrayList<>();
        Map<InstanceState.Partition, Long> moved = new HashMap<>();
        // a start at an end of the log is kept once resolved, so that records arriving later are not skipped
        offsets.forEach((p, offset) -> {
            if (!offset.equals(starts.get(p))) {
                moved.put(p, offset);
            }
        });
        int bytesLeft = maxBytes;
        int recordsLeft = maxRecords;
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (FetchResponseData.PartitionData data : topic.partitions()) {
                InstanceState.Partition partition = new InstanceState.Partition(topic.topic(),
                        data.partitionIndex());
                Long offset = offsets.get(partition);
                Errors error = Errors.forCode(data.errorCode());
                if (offset == null) {
                    continue;
                }
                if (error == Errors.OFFSET_OUT_OF_RANGE) {
                    long reset = settings.resetTo().orElseThrow(() -> new HttpError(416, "offset " + offset
                            + " is out of range of partition " + partition.partition() + " of topic "
                            + partition.topic() + " and auto.offset.reset is none"));
                    moved.put(partition, reset);
                    continue;
                }
                if (error != Errors.NONE || bytesLeft <= 0 || recordsLeft <= 0) {
                    // a leader moving, or the budget spent: this partition is read again at the next poll
                    continue;
                }
                PlainRecords.Read read = PlainRecords.read(BatchRecords.bytes(data.records()), offset, recordsLeft,
                        bytesLeft);
                for (PlainRecord r : read.records()) {
                    records.add(new BridgeRecord(partition.topic(),
                            settings.format().node(r.key(), r.offset(), "key"),
                            settings.format().node(r.value(), r.offset(), "value"),
                            partition.partition(), r.offset(), r.timestamp(),
                            r.headers().isEmpty() ? null
                                    : r.headers().stream().map(h -> new PartitionRead.Header(h.key(), h.value()))
                                            .toList()));
                    bytesLeft -= r.payloadSize();
                }
                recordsLeft -= read.records().size();
                quota.spend(ClientQuotas.CONSUMER_BYTE_RATE, read::payloadSize);
                if (read.nextOffset() != offset) {
                    moved.put(partition, read.nextOffset());
                }
            }
        }
        return new Polled(records, moved.entrySet().stream()
                .map(e -> new InstanceState.Position(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                .toList());
    }
}
