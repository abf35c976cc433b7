package io.sluice.protocol;

/** Node ids with a fixed meaning in Sluice's Kafka metadata. Brokers use ids 1 to 999. */
public final class NodeIds {

    /** The one node every gateway replica advertises to clients. */
    public static final int GATEWAY = 0;
    /** The coordinator, as it lists itself (the controller) in the Metadata it serves. */
    public static final int COORDINATOR = 1000;
    public static final int MAX_BROKER_ID = 999;

    private NodeIds() {
    }
}
