package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;

/** Encodes the request frames a client writes. */
public final class RequestEncoder {

    private RequestEncoder() {
    }

    /** Encodes a request, size prefix included. */
    public static ByteBuffer encode(int correlationId, String clientId, short version, ApiMessage body) {
        ApiMessageType type = ApiMessageType.fromApiKey(body.apiKey());
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(body.apiKey())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
        return Frames.write(header, type.requestHeaderVersion(version), body, version);
    }
}
