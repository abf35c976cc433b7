package io.sluice.broker.log;

/** The broker as the logs it leads see it. */
public interface LogHost {

    /**
     * False during and after a stall of the broker's own, until the coordinator has heard from it again: meanwhile the
     * coordinator may have given its partitions to others, and a write would race theirs.
     */
    boolean leaseHeld();

    /** A log whose write failed has given up its leadership. */
    void gaveUp(PartitionLog log);
}
