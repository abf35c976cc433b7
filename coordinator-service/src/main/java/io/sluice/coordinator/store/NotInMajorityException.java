package io.sluice.coordinator.store;

/**
 * A write to the coordinators' state that is not acknowledged: the replica making it lost sight of a majority of the
 * replicas while it was under way, so the majority may never hold it. Retriable once a majority acts again.
 */
public final class NotInMajorityException extends IllegalStateException {

    NotInMajorityException(String message) {
        super(message);
    }
}
