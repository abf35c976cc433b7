package io.sluice.cli.local;

/** A cluster or member did not get ready; the message names the member and ends with the tail of its log. */
public final class ClusterStartException extends RuntimeException {

    public ClusterStartException(String message) {
        super(message);
    }
}
