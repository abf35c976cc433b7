package io.sluice.protocol.codec;

/** A frame that cannot be understood: Kafka closes such a connection rather than answer it. */
public class InvalidFrameException extends RuntimeException {

    public InvalidFrameException(String message) {
        super(message);
    }

    public InvalidFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
