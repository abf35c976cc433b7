package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/** Decodes the request frames a server reads, with kafka-clients' generated message classes. */
public final class RequestDecoder {

    private RequestDecoder() {
    }

    /**
     * Decodes a request frame (the bytes after its size); throws {@link InvalidFrameException} for anything a Kafka
     * broker would close the connection on.
     */
    public static RequestFrame decode(ByteBuffer frame) {
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
            ByteBuffer encodedBody = api == ApiKeys.PRODUCE ? frame.slice().asReadOnlyBuffer() : null;
            if (version >= type.lowestSupportedVersion() && version <= type.highestSupportedVersion(true)) {
                body = type.newRequest();
                body.read(reader, version);
            } else if (api != ApiKeys.API_VERSIONS) {
                throw new InvalidFrameException(api + " version " + version + " is not supported");
            }
            return new RequestFrame(apiKey, version, header.correlationId(), header.clientId(), body, encodedBody);
        } catch (InvalidFrameException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidFrameException("malformed " + api + " v" + version + " request: " + e.getMessage(), e);
        }
    }
}
