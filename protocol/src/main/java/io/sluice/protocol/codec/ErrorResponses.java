package io.sluice.protocol.codec;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Kafka's own error answer to any request, built by kafka-clients' request classes so every version's mandatory
 * fields are right. Used when a request cannot be served at all (its upstream is away), a rare path.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /** The response to {@code request} (sent at {@code version}) with {@code error} everywhere it can be set. */
    public static ApiMessage of(ApiMessage request, short version, Errors error) {
        ApiKeys api = ApiKeys.forId(request.apiKey());
        AbstractRequest parsed = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(request, version)).request;
        return parsed.getErrorResponse(0, error.exception()).data();
    }
}
