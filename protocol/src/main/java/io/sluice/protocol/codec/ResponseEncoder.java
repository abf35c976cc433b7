package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;

/** Encodes the response frames a server writes. */
public final class ResponseEncoder {

    private ResponseEncoder() {
    }

    /** Encodes the response to {@code request} at {@code version}, size prefix included. */
    public static ByteBuffer encode(RequestFrame request, short version, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.correlationId());
        short headerVersion = ApiMessageType.fromApiKey(request.apiKey()).responseHeaderVersion(version);
        return Frames.write(header, headerVersion, body, version);
    }
}
