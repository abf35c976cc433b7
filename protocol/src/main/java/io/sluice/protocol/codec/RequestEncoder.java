package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Encodes the request frames a client writes. */
public final class RequestEncoder {

    private RequestEncoder() {
    }

    /** Encodes a request, size prefix included; its records are not copied ({@link GatheringWriter}). */
    public static ByteBuf encode(int correlationId, String clientId, short version, ApiMessage body) {
        short headerVersion = ApiMessageType.fromApiKey(body.apiKey()).requestHeaderVersion(version);
        return Frames.write(header(correlationId, clientId, version, body.apiKey()), headerVersion, body, version);
    }

    /**
     * Frames a request whose body is already encoded ({@link RequestFrame#encodedBody}): a size prefix and header of
     * its own, then the body's bytes as they are.
     */
    public static ByteBuf encode(int correlationId, String clientId, short version, short apiKey,
            ByteBuffer encodedBody) {
        RequestHeaderData header = header(correlationId, clientId, version, apiKey);
        short headerVersion = ApiMessageType.fromApiKey(apiKey).requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.size(cache, headerVersion);
        ByteBuffer prefix = ByteBuffer.allocate(4 + headerSize);
        prefix.putInt(headerSize + encodedBody.remaining());
        header.write(new ByteBufferAccessor(prefix), cache, headerVersion);
        return Unpooled.wrappedBuffer(prefix.flip(), encodedBody.duplicate());
    }

    private static RequestHeaderData header(int correlationId, String clientId, short version, short apiKey) {
        return new RequestHeaderData()
                .setRequestApiKey(apiKey)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
    }
}
