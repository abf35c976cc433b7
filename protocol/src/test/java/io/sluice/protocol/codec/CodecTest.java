package io.sluice.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Frames through the four codec directions, and what the request decoder refuses. */
class CodecTest {

    private static ByteBuffer withoutSize(ByteBuf frame) {
        ByteBuffer bytes = ByteBuffer.wrap(ByteBufUtil.getBytes(frame));
        bytes.getInt();
        return bytes.slice();
    }

    @Test
    void requestSurvivesARoundTrip() {
        MetadataRequestData body = new MetadataRequestData().setAllowAutoTopicCreation(true);
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("orders"));

        RequestFrame decoded = RequestDecoder.decode(withoutSize(RequestEncoder.encode(42, "app", (short) 12, body)));

        assertThat(decoded.api()).isEqualTo(ApiKeys.METADATA);
        assertThat(decoded.apiVersion()).isEqualTo((short) 12);
        assertThat(decoded.correlationId()).isEqualTo(42);
        assertThat(decoded.clientId()).isEqualTo("app");
        assertThat(decoded.body()).isEqualTo(body);
    }

    @Test
    void responseSurvivesARoundTripWithItsCorrelationId() {
        RequestFrame request = new RequestFrame(ApiKeys.METADATA.id, (short) 9, 7, "c", new MetadataRequestData());
        MetadataResponseData body = new MetadataResponseData().setClusterId("cid").setControllerId(0);

        ByteBuffer frame = withoutSize(ResponseEncoder.encode(request, (short) 9, body));

        assertThat(ResponseDecoder.correlationId(frame)).isEqualTo(7);
        assertThat(ResponseDecoder.decode(frame, ApiKeys.METADATA.id, (short) 9)).isEqualTo(body);
    }

    /**
     * A fetch answer's records go out from where they are, not copied into the frame: large record sets are parts of
     * the frame as they are, a small one is copied with the fields, and the frame decodes to the answer.
     */
    @Test
    void recordsAreWrittenWithoutCopyingThem() {
        RequestFrame request = new RequestFrame(ApiKeys.FETCH.id, (short) 12, 9, "c", new FetchRequestData());
        MemoryRecords small = records(100);
        MemoryRecords large = records(5_000);
        MemoryRecords larger = records(50_000);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopic("orders");
        for (MemoryRecords records : List.of(small, large, larger)) {
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(topic.partitions().size())
                    .setHighWatermark(1).setRecords(records));
        }
        FetchResponseData body = new FetchResponseData().setResponses(List.of(topic));

        ByteBuf frame = ResponseEncoder.encode(request, (short) 12, body);

        List<byte[]> parts = Arrays.stream(frame.nioBuffers()).map(ByteBuffer::array).toList();
        assertThat(parts).hasSize(5).contains(large.buffer().array(), larger.buffer().array())
                .doesNotContain(small.buffer().array());
        assertThat(ResponseDecoder.decode(withoutSize(frame), ApiKeys.FETCH.id, (short) 12)).isEqualTo(body);
    }

    private static MemoryRecords records(int valueSize) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[valueSize]));
    }

    @Test
    void apiVersionsNewerThanWeKnowIsDecodedWithoutBody() {
        ByteBuffer frame = withoutSize(RequestEncoder.encode(1, "new-client", (short) 3, new ApiVersionsRequestData()
                .setClientSoftwareName("x").setClientSoftwareVersion("1")));
        frame.putShort(2, (short) 99);

        RequestFrame decoded = RequestDecoder.decode(frame);

        assertThat(decoded.unparsedApiVersions()).isTrue();
        assertThat(decoded.correlationId()).isEqualTo(1);
    }

    @Test
    void tooNewApiVersionsGetsAVersionZeroUnsupportedAnswer() {
        SupportedApis apis = new SupportedApis(List.of(ApiVersionRange.of(ApiKeys.METADATA, 0, 12)));
        RequestFrame request = new RequestFrame(ApiKeys.API_VERSIONS.id, (short) 99, 1, "c", null);

        ApiVersionsResponseData answer = apis.apiVersionsResponse(request);

        assertThat(apis.apiVersionsResponseVersion(request)).isZero();
        assertThat(answer.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(answer.apiKeys().find(ApiKeys.METADATA.id).maxVersion()).isEqualTo((short) 12);
        assertThat(answer.apiKeys().find(ApiKeys.API_VERSIONS.id)).isNotNull();
    }

    @Test
    void unknownApiKeyIsRefused() {
        ByteBuffer frame = ByteBuffer.allocate(12).putShort((short) 9999).putShort((short) 0).putInt(1).putShort((short) -1);
        frame.flip();

        assertThatThrownBy(() -> RequestDecoder.decode(frame))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining("unknown API key 9999");
    }

    @Test
    void truncatedBodyIsRefused() {
        MetadataRequestData body = new MetadataRequestData();
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("a-long-topic-name"));
        ByteBuffer frame = withoutSize(RequestEncoder.encode(3, "c", (short) 9, body));
        frame.limit(frame.limit() - 6);

        assertThatThrownBy(() -> RequestDecoder.decode(frame)).isInstanceOf(InvalidFrameException.class);
    }

    @Test
    void unsupportedVersionOfOtherApisIsRefused() {
        ByteBuffer frame = withoutSize(RequestEncoder.encode(3, "c", (short) 9, new MetadataRequestData()));
        frame.putShort(2, (short) 77);

        assertThatThrownBy(() -> RequestDecoder.decode(frame))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining("not supported");
    }

    @Test
    void headerShorterThanEightBytesIsRefused() {
        assertThatThrownBy(() -> RequestDecoder.decode(ByteBuffer.allocate(3)))
                .isInstanceOf(InvalidFrameException.class);
    }
}
