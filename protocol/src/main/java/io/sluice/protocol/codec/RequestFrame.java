package io.sluice.protocol.codec;

import java.nio.ByteBuffer;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * One decoded Kafka request: its header fields and body. The body is null only for an ApiVersions request whose
 * version is newer than we can parse (the client then expects a v0 answer with our range). A Produce read from the
 * wire keeps its body's bytes as they came ({@code encodedBody}, read-only), so that it can be sent on without being
 * encoded again; null otherwise, and in every frame built around a body of our own.
 */
public record RequestFrame(short apiKey, short apiVersion, int correlationId, String clientId, ApiMessage body,
        ByteBuffer encodedBody) {

    public RequestFrame(short apiKey, short apiVersion, int correlationId, String clientId, ApiMessage body) {
        this(apiKey, apiVersion, correlationId, clientId, body, null);
    }

    public ApiKeys api() {
        return ApiKeys.forId(apiKey);
    }

    public boolean unparsedApiVersions() {
        return body == null;
    }

    @Override
    public String toString() {
        return api() + " v" + apiVersion + " #" + correlationId + " from " + clientId;
    }
}
