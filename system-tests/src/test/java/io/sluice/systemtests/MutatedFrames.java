package io.sluice.systemtests;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;
import io.sluice.protocol.contract.BrokerContract;

/**
 * Request frames for a protocol fuzzer: a valid request of a served API at a random served version, then, most of the
 * time, damaged the ways fuzzers damage frames (flipped bytes, counts and lengths set to extremes, cuts, repeats).
 * The same seed gives the same frames.
 */
final class MutatedFrames {

    /** A frame to send: its API and version as written in its header, and whether it was left valid. */
    record Frame(ApiKeys api, short version, boolean valid, byte[] bytes) {
    }

    private static final int[] EXTREMES = { 0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff, 0xffff,
            30_000_000, 0x00ffffff };

    private final Random random;
    private final List<ApiVersionRange> served = new ArrayList<>();
    private final String topic;

    /**
     * @param topic an existing topic the valid requests name, so that they reach past the lookup. Produce is sent from
     *        v3 only: v0–2 are advertised for librdkafka's sake but, as in Kafka 4, not parsed.
     */
    MutatedFrames(SupportedApis apis, String topic, long seed) {
        this.random = new Random(seed);
        this.topic = topic;
        for (ApiKeys api : ApiKeys.values()) {
            ApiVersionRange range = apis.range(api);
            if (range != null) {
                served.add(api == ApiKeys.PRODUCE ? BrokerContract.APIS.range(api) : range);
            }
        }
    }

    Frame next(int correlationId) {
        ApiVersionRange range = served.get(random.nextInt(served.size()));
        short version = (short) (range.min() + random.nextInt(range.max() - range.min() + 1));
        byte[] valid = encode(range.api(), version, correlationId);
        if (random.nextInt(10) == 0) {
            return new Frame(range.api(), version, true, valid);
        }
        return new Frame(range.api(), version, false, mutate(valid));
    }

    private byte[] encode(ApiKeys api, short version, int correlationId) {
        ApiMessageType type = ApiMessageType.fromApiKey(api.id);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("fuzz");
        ByteBuffer head = MessageUtil.toByteBufferAccessor(header, type.requestHeaderVersion(version)).buffer();
        ByteBuffer body;
        try {
            body = MessageUtil.toByteBufferAccessor(seed(api, version), version).buffer();
        } catch (UnsupportedVersionException | NullPointerException e) {
            // The seed sets a field this version does not have, or leaves one null that it needs.
            body = MessageUtil.toByteBufferAccessor(type.newRequest(), version).buffer();
        }
        return ByteBuffer.allocate(head.remaining() + body.remaining()).put(head).put(body).array();
    }

    /** A request that means something for the APIs with the most to parse; the generated defaults for the rest. */
    private ApiMessage seed(ApiKeys api, short version) {
        return switch (api) {
            case PRODUCE -> {
                ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5_000);
                ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
                Compression compression = random.nextBoolean() ? Compression.NONE : Compression.gzip().build();
                data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.withRecords(compression,
                                new SimpleRecord(System.currentTimeMillis(), "k".getBytes(), "fuzz".getBytes()),
                                new SimpleRecord(System.currentTimeMillis(), null, new byte[40]))));
                produce.topicData().add(data);
                yield produce;
            }
            case FETCH -> {
                FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(100).setMinBytes(1).setMaxBytes(1 << 20);
                fetch.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20))));
                yield fetch;
            }
            case LIST_OFFSETS -> {
                ListOffsetsRequestData list = new ListOffsetsRequestData().setReplicaId(-1);
                list.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                .setTimestamp(-1 - random.nextInt(5)))));
                yield list;
            }
            case METADATA -> {
                MetadataRequestData metadata = new MetadataRequestData().setAllowAutoTopicCreation(false);
                metadata.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
                yield metadata;
            }
            case CREATE_TOPICS -> {
                CreateTopicsRequestData create = new CreateTopicsRequestData().setValidateOnly(true).setTimeoutMs(5_000);
                create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("fuzz-new")
                        .setNumPartitions(3).setReplicationFactor((short) 1));
                yield create;
            }
            case OFFSET_FETCH -> new OffsetFetchRequestData().setGroupId("fuzz-group").setTopics(null);
            default -> ApiMessageType.fromApiKey(api.id).newRequest();
        };
    }

    private byte[] mutate(byte[] frame) {
        byte[] bytes = frame.clone();
        // Keep the API key and version most of the time, so that the body's parsing is what gets tested.
        int from = random.nextInt(8) == 0 ? 0 : Math.min(4, bytes.length);
        int span = bytes.length - from;
        if (span <= 0) {
            return bytes;
        }
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    bytes[from + random.nextInt(span)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                if (span >= 4) {
                    ByteBuffer.wrap(bytes).putInt(from + random.nextInt(span - 3),
                            EXTREMES[random.nextInt(EXTREMES.length)]);
                }
            }
            case 2 -> {
                if (span >= 2) {
                    ByteBuffer.wrap(bytes).putShort(from + random.nextInt(span - 1),
                            (short) EXTREMES[random.nextInt(EXTREMES.length)]);
                }
            }
            case 3 -> bytes = Arrays.copyOf(bytes, from + random.nextInt(span));
            case 4 -> {
                int at = from + random.nextInt(span);
                int length = 1 + random.nextInt(Math.min(32, bytes.length - at));
                byte[] longer = new byte[bytes.length + length];
                System.arraycopy(bytes, 0, longer, 0, at + length);
                System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                bytes = longer;
            }
            default -> {
                // A huge unsigned varint where a compact length or count may stand.
                int at = from + random.nextInt(span);
                byte[] varint = { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07 };
                System.arraycopy(varint, 0, bytes, at, Math.min(varint.length, bytes.length - at));
            }
        }
        return bytes;
    }
}
