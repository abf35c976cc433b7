package io.sluice.protocol.codec;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;

import io.netty.buffer.ByteBuf;

/** Encodes the response frames a server writes. */
public final class ResponseEncoder {

    private ResponseEncoder() {
    }

    /**
     * Encodes the response to {@code request} at {@code version}, size prefix included; its records are not copied
     * ({@link GatheringWriter}).
     */
    public static ByteBuf encode(RequestFrame request, short version, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.correlationId());
        short headerVersion = ApiMessageType.fromApiKey(request.apiKey()).responseHeaderVersion(version);
        return Frames.write(header, headerVersion, body, version);
    }
}
