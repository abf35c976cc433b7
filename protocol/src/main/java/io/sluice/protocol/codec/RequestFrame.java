package io.sluice.protocol.codec;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * One decoded Kafka request: its header fields and body. The body is null only for an ApiVersions request whose
 * version is newer than we can parse (the client then expects a v0 answer with our range).
 */
public record RequestFrame(short apiKey, short apiVersion, int correlationId, String clientId, ApiMessage body) {

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
