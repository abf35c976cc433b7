package io.sluice.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.PlainRecord;
import io.sluice.protocol.record.PlainRecords;

/**
 * Reads a partition from an offset with a Fetch to its leader, as a consumer's would go (read_uncommitted: records of
 * open or aborted transactions are shown too), waiting up to the asked time for the first record. Records are decoded
 * off the event loop. A caller over its {@code consumer_byte_rate} waits what it owes first, reads no more than its
 * quota allows at once, and the payload bytes it gets count against it.
 */
final class PartitionReader {

    /** What a read asks for, checked against the gateway's limits by the caller. */
    record Ask(String topic, int partition, long offset, int maxRecords, int maxBytes, int waitMs,
            EmbeddedFormat format) {

        Ask withMaxBytes(int bytes) {
            return new Ask(topic, partition, offset, maxRecords, bytes, waitMs, format);
        }
    }

    private final MetadataView metadata;
    private final LeaderRequests leaders;
    private final Executor decoding;

    PartitionReader(MetadataView metadata, LeaderRequests leaders, Executor decoding) {
        this.metadata = metadata;
        this.leaders = leaders;
        this.decoding = decoding;
    }

    CompletableFuture<PartitionRead> read(Ask asked, QuotaAccount quota) {
        Ask ask = asked.withMaxBytes(quota.atOnce(ClientQuotas.CONSUMER_BYTE_RATE, asked.maxBytes()));
        return quota.paidUp(ClientQuotas.CONSUMER_BYTE_RATE)
                .thenCompose(paid -> Topics.find(metadata, ask.topic()))
                .thenCompose(topic -> {
                    checkPartition(topic, ask.partition());
                    return leaders.fetch(fetch(ask));
                })
                .thenApplyAsync(response -> answer(ask, response, quota), decoding);
    }

    static void checkPartition(TopicView topic, int partition) {
        if (topic.partition(partition) == null) {
            throw HttpError.notFound("partition " + partition + " of topic " + topic.name() + " does not exist (it has "
                    + topic.partitions().size() + ")");
        }
    }

    private static FetchRequestData fetch(Ask ask) {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(ask.waitMs())
                .setMinBytes(1)
                .setMaxBytes(ask.maxBytes())
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1);
        FetchTopic topic = new FetchTopic().setTopic(ask.topic());
        topic.partitions().add(new FetchPartition()
                .setPartition(ask.partition())
                .setFetchOffset(ask.offset())
                .setPartitionMaxBytes(ask.maxBytes())
                .setCurrentLeaderEpoch(-1)
                .setLogStartOffset(-1));
        request.topics().add(topic);
        return request;
    }

    private static PartitionRead answer(Ask ask, FetchResponseData response, QuotaAccount quota) {
        FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
        Errors error = Errors.forCode(data.errorCode());
        if (error == Errors.OFFSET_OUT_OF_RANGE) {
            throw new HttpError(416, "offset " + ask.offset() + " is out of range of partition " + ask.partition()
                    + (data.logStartOffset() >= 0 && data.highWatermark() >= 0
                            ? " (it holds offsets " + data.logStartOffset() + " to " + data.highWatermark() + ")"
                            : ""));
        }
        if (error != Errors.NONE) {
            throw new HttpError(KafkaErrorStatus.of(error), KafkaErrorStatus.message(error, null));
        }
        PlainRecords.Read read = PlainRecords.read(BatchRecords.bytes(data.records()), ask.offset(),
                ask.maxRecords(), ask.maxBytes());
        quota.spend(ClientQuotas.CONSUMER_BYTE_RATE, read::payloadSize);
        List<PartitionRead.ReadRecord> records = new ArrayList<>(read.records().size());
        for (PlainRecord r : read.records()) {
            records.add(new PartitionRead.ReadRecord(r.offset(), r.timestamp(),
                    ask.format().node(r.key(), r.offset(), "key"),
                    ask.format().node(r.value(), r.offset(), "value"),
                    r.headers().stream().map(h -> new PartitionRead.Header(h.key(), h.value())).toList()));
        }
        return new PartitionRead(ask.topic(), ask.partition(), records, read.nextOffset(), data.highWatermark(),
                data.logStartOffset());
    }
}
