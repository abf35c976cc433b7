package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * Decodes the response frames a client reads. A response does not say what it answers: the client matches it to its
 * request by correlation id and decodes it at that request's API and version.
 */
public final class ResponseDecoder {

    private ResponseDecoder() {
    }

    /** The correlation id of a response frame (the bytes after its size), without consuming it. */
    public static int correlationId(ByteBuffer frame) {
        return frame.getInt(frame.position());
    }

    /** Decodes the body of a response to a request of the given API and version. */
    public static ApiMessage decode(ByteBuffer frame, short apiKey, short version) {
        ApiMessageType type = ApiMessageType.fromApiKey(apiKey);
        ByteBufferAccessor reader = new ByteBufferAccessor(frame);
        new ResponseHeaderData(reader, type.responseHeaderVersion(version));
        ApiMessage body = type.newResponse();
        body.read(reader, version);
        return body;
    }
}
