package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import io.netty.buffer.ByteBuf;

/** Encodes the request frames a client writes. */
public final class RequestEncoder {

    private RequestEncoder() {
    }

    /** Encodes a request, size prefix included; its records are not copied ({@link GatheringWriter}). */
    public static ByteBuf encode(int correlationId, String clientId, short version, ApiMessage body) {
        ApiMessageType type = ApiMessageType.fromApiKey(body.apiKey());
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(body.apiKey())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
        return Frames.write(header, type.requestHeaderVersion(version), body, version);
    }

    /**
     * The size prefix and header of a request whose body is already encoded ({@link RequestFrame#encodedBody}): the
     * frame is these bytes, then the body's.
     */
    public static ByteBuffer encodeHeader(int correlationId, String clientId, short version, short apiKey,
            int bodySize) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
        short headerVersion = ApiMessageType.fromApiKey(apiKey).requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.size(cache, headerVersion);
        ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize);
        buffer.putInt(headerSize + bodySize);
        header.write(new ByteBufferAccessor(buffer), cache, headerVersion);
        return buffer.flip();
    }
}
