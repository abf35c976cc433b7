package io.sluice.protocol.net;

/**
 * The bytes a member's fetches may read (a broker) or gather from the leaders (a gateway) at once, all connections
 * together: each fetch is granted what is free (a floor at least, so that none starves), up to its own maximum, and
 * gives it back once answered. Without it, a handful of consumers asking for Kafka's largest fetch sizes take more than
 * the heap holds (20 such consumers catching up ended two of three 512 MB brokers, then the 256 MB gateway, with
 * OutOfMemoryError).
 */
public final class FetchMemory {

    /** Kafka's default fetch.max.bytes: what one fetch carries at most, whatever it asks. */
    public static final int FETCH_MAX_BYTES = 57_671_680;
    /** Kafka's default max.partition.fetch.bytes: what a fetch is granted even when nothing is free. */
    public static final int FLOOR_BYTES = 1_048_576;

    private final long capacity;
    private final int floor;
    private long used;

    /** A fetch memory whose fetches are granted {@link #FLOOR_BYTES} at least, so that none starves. */
    public FetchMemory(long capacity) {
        this(capacity, FLOOR_BYTES);
    }

    /**
     * @param floor what a fetch is granted even when nothing is free (up to its maxBytes): the bound may be exceeded by
     *        that much per fetch under way, and no fetch waits for memory
     */
    public FetchMemory(long capacity, int floor) {
        if (capacity <= 0 || floor <= 0) {
            throw new IllegalArgumentException("fetch memory and its floor must be positive: " + capacity + ", " + floor);
        }
        this.capacity = capacity;
        this.floor = floor;
    }

    /**
     * Takes what is free up to a fetch's {@code maxBytes} (none or a negative one: {@link #FETCH_MAX_BYTES}, and never
     * more), and the floor at least; give it back with {@link #release}.
     */
    public int takeFor(int maxBytes) {
        return take(maxBytes <= 0 ? FETCH_MAX_BYTES : Math.min(maxBytes, FETCH_MAX_BYTES));
    }

    /** Takes what is free up to {@code wanted}, the floor at least; give back what was taken with {@link #release}. */
    public synchronized int take(int wanted) {
        int granted = (int) Math.min(wanted, Math.max(floor, capacity - used));
        used += granted;
        return granted;
    }

    public synchronized void release(int granted) {
        used -= granted;
    }

    public synchronized long usedBytes() {
        return used;
    }
}
