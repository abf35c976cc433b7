package io.sluice.protocol.net;

import org.apache.kafka.common.errors.DisconnectException;

/**
 * A request that never left for its peer: there was no connection, or it had closed. Unlike a request the connection
 * lost after writing it, the peer certainly did not act on it, so a write may be refused as "not written".
 */
public final class RequestNotSentException extends DisconnectException {

    public RequestNotSentException(String message) {
        super(message);
    }

    public RequestNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
