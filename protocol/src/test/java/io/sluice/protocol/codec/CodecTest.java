package io.sluice.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Frames through the four codec directions, and what the request decoder refuses. */
class CodecTest {

    private static ByteBuffer withoutSize(ByteBuffer frame) {
        frame.getInt();
        return frame.slice();
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
