package io.sluice.broker.log;

/** The broker as the logs it leads see it. */
public interface LogHost {

    /**
     * False while the broker's leadership lease has run out (it was paused, or cut off from the coordinator): the
     * coordinator may have given its partitions to others, and a write now would race theirs.
     */
    boolean leaseHeld();

    /** A log whose write failed has given up its leadership. */
    void gaveUp(PartitionLog log);
}
