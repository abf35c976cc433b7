package io.sluice.cli.containers;

/** A container could not be built, started, probed or stopped; the message says which and why. */
public final class ContainerException extends RuntimeException {

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
