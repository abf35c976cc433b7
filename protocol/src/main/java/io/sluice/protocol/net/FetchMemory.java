package io.sluice.protocol.net;

/**
 * The bytes a member's fetches may read (a broker) or gather from the leaders (a gateway) at once, all connections
 * together: each fetch is granted what is free, up to its own maximum, and gives it back once answered. Without it, a
 * handful of consumers asking for Kafka's largest fetch sizes take more than the heap holds (20 such consumers catching
 * up ended two of three 512 MB brokers, then the 256 MB gateway, with OutOfMemoryError).
 */
public final class FetchMemory {

    /** Kafka's default fetch.max.bytes: what one fetch carries at most, whatever it asks. */
    public static final int FETCH_MAX_BYTES = 57_671_680;

    private final long capacity;
    private long used;

    public FetchMemory(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("fetch memory must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Takes what is free up to a fetch's {@code maxBytes} (none or a negative one: {@link #FETCH_MAX_BYTES}, and never
     * more), perhaps nothing; give it back with {@link #release}.
     */
    public int takeFor(int maxBytes) {
        return take(maxBytes <= 0 ? FETCH_MAX_BYTES : Math.min(maxBytes, FETCH_MAX_BYTES));
    }

    /** Takes what is free up to {@code wanted}, perhaps nothing; give back what was taken with {@link #release}. */
    public synchronized int take(int wanted) {
        int granted = (int) Math.max(0, Math.min(wanted, capacity - used));
        used += granted;
        return granted;
    }

    public synchronized void release(int granted) {
        used -= granted;
    }

    public synchronized long usedBytes() {
        return used;
    }

    public long capacityBytes() {
        return capacity;
    }
}
