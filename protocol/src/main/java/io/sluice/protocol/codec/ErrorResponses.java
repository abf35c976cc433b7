package io.sluice.protocol.codec;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.InvalidRequestException;
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

    /**
     * The answer to a request its upstream (a broker, the coordinator) did not answer: {@code whenAway}, a retriable
     * error, unless the request itself could not be sent on, which fails the request as invalid.
     */
    public static ApiMessage upstreamFailed(Throwable failure, ApiMessage request, short version, Errors whenAway) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof InvalidRequestException invalid) {
            throw invalid;
        }
        return of(request, version, whenAway);
    }

    /** The response to {@code request} (sent at {@code version}) with {@code error} everywhere it can be set. */
    public static ApiMessage of(ApiMessage request, short version, Errors error) {
        ApiKeys api = ApiKeys.forId(request.apiKey());
        AbstractRequest parsed = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(request, version)).request;
        return parsed.getErrorResponse(0, error.exception()).data();
    }
}
