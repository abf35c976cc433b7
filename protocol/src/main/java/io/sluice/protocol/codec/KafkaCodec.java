package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Encodes and decodes Kafka frames with kafka-clients' generated message classes. Frames on the wire are a 4-byte size
 * followed by a header and a body; {@code decode*} methods take the bytes after the size, {@code encode*} methods
 * return the bytes including it.
 */
public final class KafkaCodec {

    private KafkaCodec() {
    }

    /** Decodes a request frame; throws {@link InvalidFrameException} for anything a Kafka broker would close on. */
    public static RequestFrame decodeRequest(ByteBuffer frame) {
        if (frame.remaining() < 8) {
            throw new InvalidFrameException("request of " + frame.remaining() + " bytes is shorter than a header");
        }
        short apiKey = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        if (!ApiKeys.hasId(apiKey)) {
            throw new InvalidFrameException("unknown API key " + apiKey);
        }
        ApiKeys api = ApiKeys.forId(apiKey);
        ApiMessageType type = ApiMessageType.fromApiKey(apiKey);
        try {
            ByteBufferAccessor reader = new ByteBufferAccessor(frame);
            RequestHeaderData header = new RequestHeaderData(reader, type.requestHeaderVersion(version));
            ApiMessage body = null;
            if (version >= type.lowestSupportedVersion() && version <= type.highestSupportedVersion(true)) {
                body = type.newRequest();
                body.read(reader, version);
            } else if (api != ApiKeys.API_VERSIONS) {
                throw new InvalidFrameException(api + " version " + version + " is not supported");
            }
            return new RequestFrame(apiKey, version, header.correlationId(), header.clientId(), body);
        } catch (InvalidFrameException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidFrameException("malformed " + api + " v" + version + " request: " + e.getMessage(), e);
        }
    }

    /** Encodes the response to {@code request}, size prefix included. */
    public static ByteBuffer encodeResponse(RequestFrame request, short version, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.correlationId());
        short headerVersion = ApiMessageType.fromApiKey(request.apiKey()).responseHeaderVersion(version);
        return encode(header, headerVersion, body, version);
    }

    /** Encodes a request, size prefix included. */
    public static ByteBuffer encodeRequest(int correlationId, String clientId, short version, ApiMessage body) {
        ApiMessageType type = ApiMessageType.fromApiKey(body.apiKey());
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(body.apiKey())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
        return encode(header, type.requestHeaderVersion(version), body, version);
    }

    /** Returns the correlation id of a response frame without consuming it. */
    public static int correlationId(ByteBuffer responseFrame) {
        return responseFrame.getInt(responseFrame.position());
    }

    /** Decodes the body of a response to a request of the given API and version. */
    public static ApiMessage decodeResponse(ByteBuffer frame, short apiKey, short version) {
        ApiMessageType type = ApiMessageType.fromApiKey(apiKey);
        ByteBufferAccessor reader = new ByteBufferAccessor(frame);
        new ResponseHeaderData(reader, type.responseHeaderVersion(version));
        ApiMessage body = type.newResponse();
        body.read(reader, version);
        return body;
    }

    private static ByteBuffer encode(ApiMessage header, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.size(cache, headerVersion);
        int bodySize = body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        ByteBufferAccessor writer = new ByteBufferAccessor(buffer);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        buffer.flip();
        return buffer;
    }
}
